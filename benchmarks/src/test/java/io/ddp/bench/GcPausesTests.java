package io.ddp.bench;

import java.nio.file.Path;
import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GcPausesTests {

	private static final List<String> LOG = List.of("[1000ms] Using G1",
			"[2000ms] GC(0) Pause Young (Concurrent Start) (Metadata GC Threshold) 90M->10M(2048M) 32.953ms",
			"[2001ms] GC(1) Concurrent Mark Cycle", "[2174ms] GC(1) Concurrent Mark Cycle 174.353ms",
			"[5030ms] GC(2) Pause Young (Normal) (G1 Evacuation Pause) 102M->19M(2048M) 56.342ms",
			"[7000ms] GC(3) Pause Remark 11M->11M(2048M) 3.297ms",
			"[9100ms] GC(4) Pause Full (System.gc()) 84M->21M(2048M) 200.5ms");

	@Test
	void countsThePausesThatOverlapTheWindowAndNotTheConcurrentPhases() {
		GcPauses pauses = GcPauses.in(LOG, 5000, 9000);
		assertThat(pauses.count()).isEqualTo(3);
		assertThat(pauses.maxMs()).isEqualTo(200.5);
		assertThat(pauses.totalMs()).isCloseTo(56.342 + 3.297 + 200.5, Offset.offset(1e-9));
	}

	@Test
	void aPauseThatEndedBeforeTheWindowIsNotInIt() {
		assertThat(GcPauses.in(LOG, 2100, 4900)).isEqualTo(GcPauses.NONE);
		assertThat(GcPauses.in(LOG, 2100, 4900).toString()).isEqualTo("0 (max 0.0 ms, total 0.0 ms)");
	}

	@Test
	void theOptionWritesWallClockMillisecondsThatTheReaderParses() {
		assertThat(GcPauses.jvmArgument(Path.of("/tmp/gc.log"))).isEqualTo("-Xlog:gc:file=/tmp/gc.log:timemillis");
	}

}
