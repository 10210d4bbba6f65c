/** JMH benchmarks: {@code java -jar examples/target/benchmarks.jar}. Never run as part of the tests. */
package io.github.pointclip.bench;
