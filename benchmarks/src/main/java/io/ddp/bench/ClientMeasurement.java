package io.ddp.bench;

import java.util.Locale;

/**
 * One measured window of the client benchmark: a client (the Java client or the bare JDK
 * loop) in one scenario ({@code connections x calls in flight}).
 *
 * @param client the client's name in the report
 * @param scenario {@code connections x in flight}
 * @param calls the calls completed in the window
 * @param rate calls per second
 * @param p50us the median latency in microseconds
 * @param p99us the 99th percentile latency in microseconds
 * @param clientCpuUsPerCall the client JVM's CPU per call in microseconds
 * @param serverCpuUsPerCall the server's CPU per call in microseconds, -1 when unknown
 * @param errors the calls that failed or returned a wrong result
 */
record ClientMeasurement(String client, String scenario, long calls, double rate, double p50us, double p99us,
		double clientCpuUsPerCall, double serverCpuUsPerCall, long errors) {

	/**
	 * The {@code RESULT} line {@code run-client.sh} turns into a table row.
	 * @return the line
	 */
	String resultLine() {
		return String.format(Locale.ROOT,
				"RESULT client=%s scenario=%s calls=%d rate=%.0f p50us=%.1f p99us=%.1f clientCpuUsPerCall=%.2f "
						+ "serverCpuUsPerCall=%.2f errors=%d",
				this.client, this.scenario, this.calls, this.rate, this.p50us, this.p99us, this.clientCpuUsPerCall,
				this.serverCpuUsPerCall, this.errors);
	}

}
