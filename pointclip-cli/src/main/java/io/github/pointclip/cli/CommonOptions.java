package io.github.pointclip.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {

    /** Print stack traces of errors. */
    @Option(names = "--verbose", description = "Print the stack trace of an error.")
    boolean verbose;
}
