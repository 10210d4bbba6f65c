/** The {@code pointclip} command-line tool (picocli), one class per command. */
package io.github.pointclip.cli;
