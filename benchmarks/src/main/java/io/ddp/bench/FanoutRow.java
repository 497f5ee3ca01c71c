package io.ddp.bench;

/**
 * One fan-out measurement: per write (median over the writes) the p50, p99 and last
 * delivery latency over all receivers, in µs; server CPU per delivered frame (raw, and
 * with the server's idle CPU rate over the same window subtracted); frames expected vs
 * received.
 */
record FanoutRow(String target, int subscribers, long ready, int writes, double p50us, double p99us, double lastUs,
		double worstLastUs, double framesPerSecond, double cpuUsPerFrame, double cpuUsPerFrameRaw, double serverCores,
		double genCores, long expected, long received, long missing, String extra) {
}
