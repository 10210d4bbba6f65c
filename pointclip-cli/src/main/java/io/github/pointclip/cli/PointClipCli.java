package io.github.pointclip.cli;

import io.github.pointclip.encoder.PointClipException;
import io.github.pointclip.io.PointCloudFormatException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/**
 * The {@code pointclip} command line: {@code java -jar pointclip-cli/target/pointclip.jar <command>}.
 *
 * <p>Exit codes: 0 success, 2 bad input (unknown option, missing or malformed file, invalid
 * value), 1 anything else. Errors print one line on stderr; {@code --verbose} adds the stack
 * trace.
 */
@Command(name = "pointclip", mixinStandardHelpOptions = true, versionProvider = PointClipCli.Version.class,
    description = "Open-vocabulary 3D point-cloud recognition with CLIP (PointCLIP / PointCLIP V2).",
    subcommands = {ProjectCommand.class, ClassifyCommand.class, TokenizeCommand.class, ModelsCommand.class,
        EvalCommand.class, FewShotCommand.class, SearchCommand.class,
        SampleCommand.class, CommandLine.HelpCommand.class})
public final class PointClipCli {

    /** Exit code for bad input. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for unexpected failures. */
    public static final int EXIT_FAILURE = 1;

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Builds the configured command line (tests call {@code execute} on it with swapped writers).
     *
     * @return the command line
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PointClipCli());
        cli.setExecutionExceptionHandler(PointClipCli::handle);
        cli.setParameterExceptionHandler(PointClipCli::handleUsage);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    private static int handle(Exception ex, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        Throwable cause = ex instanceof UncheckedIOException ? ex.getCause() : ex;
        boolean badInput = isBadInput(cause);
        err.println(command.getCommandSpec().qualifiedName() + ": " + (badInput ? "" : "error: ") + describe(cause));
        if (verbose(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return badInput ? EXIT_BAD_INPUT : EXIT_FAILURE;
    }

    private static int handleUsage(CommandLine.ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + ex.getMessage() + " (see --help)");
        err.flush();
        return EXIT_BAD_INPUT;
    }

    static boolean isBadInput(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof PointCloudFormatException
            || t instanceof NoSuchFileException || t instanceof FileNotFoundException
            || t instanceof AccessDeniedException || t instanceof BadInputException
            || t instanceof IOException || t instanceof PointClipException;
    }

    private static String describe(Throwable t) {
        if (t instanceof NoSuchFileException) {
            return "file not found: " + ((NoSuchFileException) t).getFile();
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied: " + ((AccessDeniedException) t).getFile();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static boolean verbose(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** A user error detected by the CLI itself (e.g. an option value that does not fit). */
    public static final class BadInputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what was wrong
         */
        public BadInputException(String message) {
            super(message);
        }
    }

    /** Reports the library version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PointClipCli.class.getPackage().getImplementationVersion();
            return new String[] {"pointclip " + (v == null ? "(development build)" : v)};
        }
    }
}
