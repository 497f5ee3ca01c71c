package io.ddp.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the load generator is not the bottleneck: the load split over 2 generator
 * processes, then 1 process again. The server keeps warming up, so the repeat separates
 * that from what a second process adds.
 */
final class GenCheckScenario {

	private final EchoScenario echo;

	private final SessionsScenario sessions;

	GenCheckScenario(EchoScenario echo, SessionsScenario sessions) {
		this.echo = echo;
		this.sessions = sessions;
	}

	/**
	 * Echo, 100 x 10, on the raw endpoint and (when it answers) on DDP.
	 * @return the rows, in report order
	 */
	List<Row> echoRows(String label, TargetServer server, String rawUrl, String ddpUrl, boolean ddp) throws Exception {
		List<Row> rows = new ArrayList<>();
		rows.add(this.echo.run("raw Spring echo" + label, server, rawUrl, false, 100, 10, 2));
		rows.add(this.echo.run("raw Spring echo" + label, server, rawUrl, false, 100, 10, 1).again());
		if (ddp) {
			rows.add(this.echo.run("DDP" + label, server, ddpUrl, true, 100, 10, 2));
			rows.add(this.echo.run("DDP" + label, server, ddpUrl, true, 100, 10, 1).again());
		}
		return rows;
	}

	/**
	 * DDP session establishment.
	 * @return the rows, in report order
	 */
	List<Row> sessionRows(String label, TargetServer server, String ddpUrl, int inflight) throws Exception {
		return List.of(this.sessions.run("DDP" + label, server, ddpUrl, true, inflight, 2),
				this.sessions.run("DDP" + label, server, ddpUrl, true, inflight, 1).again());
	}

}
