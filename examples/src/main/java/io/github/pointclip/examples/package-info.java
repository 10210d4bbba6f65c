/** Runnable samples and the procedural sample shapes used by the README and the docs. */
package io.github.pointclip.examples;
