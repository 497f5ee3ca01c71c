package io.ddp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /bench/heap}: runs {@link System#gc()} (a full, stop-the-world collection
 * with G1 unless {@code -XX:+ExplicitGCInvokesConcurrent}) a few times until the used
 * heap stops shrinking, then returns the used and committed heap in bytes. Only for the
 * benchmark runner, on loopback.
 */
@RestController
public class HeapController {

	@GetMapping(path = "/bench/heap", produces = "application/json")
	public Map<String, Object> heap(@RequestParam(defaultValue = "true") boolean gc) throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = memory.getHeapMemoryUsage().getUsed();
		if (gc) {
			long previous = Long.MAX_VALUE;
			for (int i = 0; i < 5 && used < previous - 64 * 1024; i++) {
				previous = used;
				System.gc();
				Thread.sleep(100);
				used = memory.getHeapMemoryUsage().getUsed();
			}
		}
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("used", used);
		out.put("committed", memory.getHeapMemoryUsage().getCommitted());
		out.put("nonHeapUsed", memory.getNonHeapMemoryUsage().getUsed());
		out.put("pid", ProcessHandle.current().pid());
		out.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
		return out;
	}

}
