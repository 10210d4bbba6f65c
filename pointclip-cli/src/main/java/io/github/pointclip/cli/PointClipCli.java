package io.github.pointclip.cli;

import io.github.pointclip.encoder.PointClipException;
import io.github.pointclip.io.PointCloudFormatException;
import io.github.pointclip.onnx.DeviceUnavailableException;
import io.github.pointclip.onnx.bundle.NetworkException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The {@code pointclip} command line: {@code java -jar pointclip-cli/target/pointclip.jar <command>}.
 *
 * <p>Exit codes: 0 success; 2 bad input or configuration (unknown option, missing or malformed file,
 * invalid value, {@code --device cuda} where CUDA is unavailable); 3 network failure (connection refused,
 * unknown host, timeout: a {@link NetworkException}); 4 nothing to select ({@code search views} where no
 * trial classifies any sample correctly; nothing is written); 130 interrupted (Ctrl-C during
 * {@code eval}); 1 an unexpected failure (a bug: please report it with {@code --verbose}'s stack trace).
 * Errors print one line on stderr; {@code --verbose} adds the stack trace. The library's hints for API
 * users ("set ReadOptions.dropNonFinite(true)") are translated into the command's options
 * ({@code --drop-non-finite}) by {@link #forCommandLine}.
 */
@Command(name = "pointclip", mixinStandardHelpOptions = true, versionProvider = PointClipCli.Version.class,
    description = "Open-vocabulary 3D point-cloud recognition with CLIP (PointCLIP / PointCLIP V2).",
    subcommands = {ProjectCommand.class, ClassifyCommand.class, TokenizeCommand.class, ModelsCommand.class,
        EvalCommand.class, FewShotCommand.class, SearchCommand.class, PromptsCommand.class, PretrainCommand.class,
        SampleCommand.class, SegmentCommand.class, DetectCommand.class, ProbeCommand.class,
        CommandLine.HelpCommand.class})
public final class PointClipCli {

    /** Exit code for bad input. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a network failure (the hub or a mirror could not be reached). */
    public static final int EXIT_NETWORK = 3;
    /** Exit code for a search that selected nothing ({@code search views} where every trial scores 0). */
    public static final int EXIT_NOTHING_SELECTED = 4;
    /** Exit code for unexpected failures (bugs). */
    public static final int EXIT_FAILURE = 1;

    /**
     * The library's hints for API users and what a command-line user types instead: {pattern, replacement when
     * the command has the option, the option, replacement otherwise}. Matched by pattern, so that a reworded
     * sentence around the hint still translates.
     */
    private static final String[][] HINTS = {
        {";? ?set ReadOptions\\.dropNonFinite\\(true\\) to drop such points",
            "; pass --drop-non-finite to drop such points", "--drop-non-finite", ""},
        {" ?\\(or set ReadOptions\\.format to choose one\\)", "", null, ""},
        {"maxPoints=(\\d+)( points)?;? ?raise ReadOptions\\.maxPoints to read this file",
            "the $1 points a file may hold", null, "the $1 points a file may hold"},
        {" ?\\(or pass them with BundleOptions\\.tokenizer\\)", " (put one of them in the model directory)", null, null},
        {" ?\\(ask for truncation to cut it\\)", " (pass --truncate-prompts to cut it)", "--truncate-prompts", null},
        {" ?\\(ask for truncation to cut it\\)", " (pass --truncate to cut it)", "--truncate", ""},
        {"; use noObject\\(true\\)", "; pass --no-object to add it", "--no-object", ""},
    };

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        configureLogging(args);
        System.exit(commandLine().execute(args));
    }

    /**
     * Sets the slf4j-simple levels before the first logger exists: libraries (jHDF, ONNX Runtime's
     * wrappers) at WARN and jHDF at ERROR, so that its "development version" warning stays out;
     * the project's own loggers at WARN, or at INFO with {@code --verbose} (which then also shows
     * the execution provider and similar one-time lines). A level given with {@code -D} wins.
     *
     * @param args the command line
     */
    static void configureLogging(String[] args) {
        boolean verbose = false;
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            verbose |= a.equals("--verbose");
        }
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.io.jhdf", "error");
        setIfAbsent("org.slf4j.simpleLogger.log.io.github.pointclip", verbose ? "info" : "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
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
        // "--input a.ply b.ply --lables x": an unknown option after a multi-value option is an
        // error, never a file name; a value that looks like an option is refused (--template=-x- passes one)
        cli.setUnmatchedOptionsAllowedAsOptionParameters(false);
        CommandLine detect = cli.getSubcommands().get("detect");
        if (detect != null) {
            DetectCommand.hideInapplicable(detect.getCommandSpec());
        }
        CommandLine eval = cli.getSubcommands().get("eval");
        if (eval != null) {
            EvalCommand.describeDatasets(eval.getCommandSpec());
        }
        return cli;
    }

    private static int handle(Exception ex, CommandLine command, ParseResult parseResult) {
        Throwable cause = ex instanceof UncheckedIOException ? ex.getCause() : ex;
        String line;
        int code;
        DeviceUnavailableException device = find(cause, DeviceUnavailableException.class);
        if (cause instanceof NetworkException || cause instanceof io.github.pointclip.encoder.ModelDownloadException) {
            line = "network error: " + describe(cause);
            code = EXIT_NETWORK;
        } else if (device != null) {
            line = describeDevice(device);
            code = EXIT_BAD_INPUT;
        } else if (cause instanceof SearchCommand.SearchFoundNothingException) {
            line = describe(cause);
            code = EXIT_NOTHING_SELECTED;
        } else if (isBadInput(cause)) {
            line = describe(cause);
            code = EXIT_BAD_INPUT;
        } else {
            line = "error: " + describe(cause);
            code = EXIT_FAILURE;
        }
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + forCommandLine(line, command.getCommandSpec()));
        if (verbose(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /**
     * Translates the library's hints for API users (builder calls such as
     * {@code ReadOptions.dropNonFinite(true)}) into the command's options, or drops a hint that has no option.
     *
     * @param message an error message of the library
     * @param command the command that failed (its options decide the translation)
     * @return the message for a terminal
     */
    static String forCommandLine(String message, CommandLine.Model.CommandSpec command) {
        String m = message;
        for (String[] hint : HINTS) {
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(hint[0]).matcher(m);
            if (!matcher.find()) {
                continue;
            }
            boolean has = hint[2] == null || command.findOption(hint[2]) != null;
            String replacement = has ? hint[1] : hint[3];
            if (replacement != null) {
                m = matcher.replaceAll(replacement);
            }
        }
        return m;
    }

    /** CUDA asked for and unavailable: a configuration error, said as such, with the way out. */
    private static String describeDevice(DeviceUnavailableException e) {
        String m = String.valueOf(e.getMessage());
        java.util.regex.Matcher prefix = java.util.regex.Pattern.compile("^cannot run on (\\S+?): ").matcher(m);
        String device = prefix.find() ? prefix.group(1) : null;
        String reason = device == null ? m : m.substring(prefix.end());
        return "--device " + (device == null ? "cuda" : device) + ": CUDA is unavailable: " + reason
            + "; --device auto (the default) falls back to the CPU";
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static int handleUsage(CommandLine.ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        String hint = "";
        String message = String.valueOf(ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException) {
            // "Unknown option: '--lables'; Expected parameter for option '--input' but found '--lables'": the
            // first half says it all
            int cut = message.indexOf("; Expected parameter for option");
            message = message.startsWith("Unknown option") && cut > 0 ? message.substring(0, cut) : message;
            java.util.List<String> unmatched = new java.util.ArrayList<>(
                ((CommandLine.UnmatchedArgumentException) ex).getUnmatched());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Unknown options?: '([^']+)'")
                .matcher(String.valueOf(ex.getMessage()));
            if (m.find()) {
                unmatched.add(0, m.group(1));
            }
            String closest = closestOption(command.getCommandSpec(), unmatched);
            hint = closest == null ? "" : " (did you mean " + closest + "?)";
        }
        err.println(command.getCommandSpec().qualifiedName() + ": " + message + hint + " (see --help)");
        err.flush();
        return EXIT_BAD_INPUT;
    }

    /** The option name nearest to the first unknown option-like argument, within two edits, or null. */
    static String closestOption(CommandLine.Model.CommandSpec spec, java.util.List<String> unmatched) {
        String unknown = null;
        for (String u : unmatched) {
            if (u.startsWith("-")) {
                int eq = u.indexOf('=');
                unknown = eq > 0 ? u.substring(0, eq) : u;
                break;
            }
        }
        if (unknown == null) {
            return null;
        }
        String best = null;
        int bestDistance = 3;
        for (CommandLine.Model.OptionSpec option : spec.options()) {
            for (String name : option.names()) {
                int d = editDistance(unknown, name);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = name;
                }
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static boolean isBadInput(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof PointCloudFormatException
            || t instanceof NoSuchFileException || t instanceof FileNotFoundException
            || t instanceof AccessDeniedException || t instanceof BadInputException
            || t instanceof IOException || t instanceof PointClipException
            || t instanceof io.github.pointclip.adapter.train.TrainingDivergedException;
    }

    private static String describe(Throwable t) {
        if (t instanceof NoSuchFileException) {
            return "file not found: " + ((NoSuchFileException) t).getFile();
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied: " + ((AccessDeniedException) t).getFile();
        }
        if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            // a safety net: every reader names its file, but a message of Jackson's own has no place on a terminal
            return "invalid JSON: " + io.github.pointclip.internal.JsonMessages.of((com.fasterxml.jackson.core.JsonProcessingException) t);
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

    /**
     * Reports the version of the jar the CLI runs from: its manifest's {@code Implementation-Version},
     * else the {@code pom.properties} Maven puts in every jar (kept in the shaded {@code pointclip.jar}),
     * else {@link io.github.pointclip.Version#get()} (classes run from a build folder).
     */
    static final class Version implements CommandLine.IVersionProvider {
        private static final String POM_PROPERTIES = "META-INF/maven/io.github.pointclip/pointclip-cli/pom.properties";

        @Override
        public String[] getVersion() {
            String v = null;
            try {
                java.security.CodeSource source = PointClipCli.class.getProtectionDomain().getCodeSource();
                if (source != null && source.getLocation() != null) {
                    v = of(java.nio.file.Path.of(source.getLocation().toURI()));
                }
            } catch (java.net.URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                v = null;
            }
            return new String[] {"pointclip " + (v == null ? io.github.pointclip.Version.get() : v)};
        }

        /**
         * @param location a jar or a class folder
         * @return the version it declares, or null
         */
        static String of(java.nio.file.Path location) {
            if (!java.nio.file.Files.isRegularFile(location)) {
                return null;
            }
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(location.toFile())) {
                java.util.jar.Manifest manifest = jar.getManifest();
                String v = manifest == null ? null
                    : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.IMPLEMENTATION_VERSION);
                if (v != null && !v.isBlank()) {
                    return v.strip();
                }
                java.util.jar.JarEntry entry = jar.getJarEntry(POM_PROPERTIES);
                if (entry != null) {
                    java.util.Properties p = new java.util.Properties();
                    try (java.io.InputStream in = jar.getInputStream(entry)) {
                        p.load(in);
                    }
                    String pv = p.getProperty("version");
                    return pv == null || pv.isBlank() ? null : pv.strip();
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
