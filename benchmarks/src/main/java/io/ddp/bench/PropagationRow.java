package io.ddp.bench;

/**
 * One propagation measurement: writes made through a method on one instance and their
 * {@code changed} frames at a subscriber of another (or the same) instance.
 *
 * @param store {@code PostgreSQL} or {@code in-memory}
 * @param path where the writer and the subscriber are, e.g. {@code A -> B}
 * @param load {@code 1,000/s paced} or {@code 50 in flight}
 * @param paced whether the writes were paced (open loop) rather than closed-loop
 * @param writesPerSecond writes sent in the measured window per second
 * @param sent writes sent in the measured window
 * @param results their results that came back ({@code true})
 * @param p50us propagation latency (send to {@code changed}), median, µs
 * @param p99us propagation latency, 99th percentile, µs
 * @param maxUs propagation latency, maximum, µs
 * @param methodP50us method latency (send to {@code result}), median, µs
 * @param methodP99us method latency, 99th percentile, µs
 * @param seen measured writes whose {@code changed} arrived
 * @param lost measured writes whose {@code changed} never came, nor a later write's to
 * the same document
 * @param superseded measured writes without their own {@code changed} whose document's
 * later value arrived (merged by the server)
 * @param unanswered measured writes whose method had not returned by the end of the drain
 * (queued on an overloaded writer instance), counted neither as seen nor as lost
 * @param writerCores CPU of the writer's instance over the window, cores
 * @param subscriberCores CPU of the subscriber's instance (0 when it is the writer's),
 * cores
 * @param postgresCores CPU of PostgreSQL (postmaster and backends), cores
 * @param genCores CPU of the generator, cores
 * @param extra details for the line under the table
 */
record PropagationRow(String store, String path, String load, boolean paced, double writesPerSecond, long sent,
		long results, double p50us, double p99us, double maxUs, double methodP50us, double methodP99us, long seen,
		long lost, long superseded, long unanswered, double writerCores, double subscriberCores, double postgresCores,
		double genCores, String extra) {

	/**
	 * @return CPU of every server process (instances and PostgreSQL) per write, µs
	 */
	double serverCpuUsPerWrite() {
		return (this.writesPerSecond > 0)
				? (this.writerCores + this.subscriberCores + this.postgresCores) * 1e6 / this.writesPerSecond : 0;
	}

}
