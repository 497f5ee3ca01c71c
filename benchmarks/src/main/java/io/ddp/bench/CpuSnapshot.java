package io.ddp.bench;

/**
 * CPU counters at one instant: the server process, the load generators and the whole
 * machine.
 */
final class CpuSnapshot {

	final long nanos = System.nanoTime();

	final long server;

	final long gens;

	final long[] system;

	CpuSnapshot(long serverPid, Generators gens) {
		this.server = Cpu.processTicks(serverPid);
		this.gens = gens.cpuTicks();
		this.system = Cpu.systemTicks();
	}

}
