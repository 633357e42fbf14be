/**
 * The benchmarks: wall-clock seconds of training ({@link dev.amend.bench.TrainBench}, seconds
 * per epoch of the paper's CNN) and of identification ({@link dev.amend.bench.IdentifyBench},
 * seconds per method beside [T22] Table 1), each with its targets and the machine's load, as
 * records ready to write as JSON. docs/benchmarks.md gives the numbers measured with them.
 *
 * <p>A package of its own because timing is neither a run service nor one of the paper's
 * experiments: it calls the services and measures them, and keeps the CLI's {@code bench}
 * commands to parsing options and printing.
 */
package dev.amend.bench;
