package io.ddp.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * One measured echo or sessions scenario.
 *
 * @param target what was measured ({@code DDP (tomcat)}, {@code Meteor 1.9.3}, ...)
 * @param scenario connections x calls in flight, or sessions in flight
 * @param rate calls or sessions per second
 * @param p50us median latency in µs
 * @param p99us 99th percentile latency in µs
 * @param serverCpuUsPerOp server CPU per call or session in µs
 * @param serverCores cores the server used
 * @param genCores cores the load generators used
 * @param otherCores cores other processes used
 * @param errors errors and lost calls
 * @param extra free text for the report
 */
record Row(String target, String scenario, double rate, double p50us, double p99us, double serverCpuUsPerOp,
		double serverCores, double genCores, double otherCores, long errors, String extra) {

	/**
	 * The row from the generators' results and the CPU counters around the measurement;
	 * prints it.
	 */
	static Row from(String target, String scenario, List<Map<String, String>> results, CpuSnapshot before,
			CpuSnapshot after, String extra) {
		double rate = Generators.rate(results);
		long count = Generators.sum(results, "count");
		Histogram h = Generators.histogram(results);
		double wall = (after.nanos - before.nanos) / 1e9;
		double serverSec = (after.server - before.server) / (double) Cpu.HZ;
		double genSec = (after.gens - before.gens) / (double) Cpu.HZ;
		double busySec = (after.system[0] - before.system[0]) / (double) Cpu.HZ;
		double serverCores = serverSec / wall;
		double genCores = genSec / wall;
		double otherCores = Math.max(0, busySec / wall - serverCores - genCores);
		double cpuPerOp = count == 0 ? 0 : serverSec * 1e6 / (rate * wall);
		long errors = Generators.sum(results, "errors") + Generators.sum(results, "lost");
		Row row = new Row(target, scenario, rate, h.getValueAtPercentile(50) / 1000.0,
				h.getValueAtPercentile(99) / 1000.0, cpuPerOp, serverCores, genCores, otherCores, errors, extra);
		System.out.println(String.format(Locale.ROOT,
				"   %,.0f/s  p50 %.0f us  p99 %.0f us  server %.1f us/op, %.2f cores; generator %.2f cores; other %.2f cores; errors %d %s",
				row.rate(), row.p50us(), row.p99us(), row.serverCpuUsPerOp(), row.serverCores(), row.genCores(),
				row.otherCores(), row.errors(), extra));
		return row;
	}

	/**
	 * @return this row, marked as a repeat of an earlier measurement
	 */
	Row again() {
		return new Row(this.target, this.scenario + " (again)", this.rate, this.p50us, this.p99us,
				this.serverCpuUsPerOp, this.serverCores, this.genCores, this.otherCores, this.errors, this.extra);
	}

}
