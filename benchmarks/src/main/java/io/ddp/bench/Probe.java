package io.ddp.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Checks a DDP endpoint with the JDK's own WebSocket client (independent of the load
 * generator): connect, one {@code echo} call, one {@code sub}. Returns the frames seen,
 * or why it failed.
 */
final class Probe {

	final boolean connected;

	final boolean echoOk;

	final String subReply;

	final List<String> frames;

	final String problem;

	private Probe(boolean connected, boolean echoOk, String subReply, List<String> frames, String problem) {
		this.connected = connected;
		this.echoOk = echoOk;
		this.subReply = subReply;
		this.frames = frames;
		this.problem = problem;
	}

	static Probe ddp(String url, String subName, String subParams) {
		List<String> frames = new ArrayList<>();
		BlockingQueue<String> queue = new LinkedBlockingQueue<>();
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
		WebSocket ws = null;
		try {
			ws = client.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
				private final StringBuilder text = new StringBuilder();

				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					this.text.append(data);
					if (last) {
						queue.add(this.text.toString());
						this.text.setLength(0);
					}
					webSocket.request(1);
					return null;
				}
			}).get(5, TimeUnit.SECONDS);
			ws.sendText("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\",\"pre2\",\"pre1\"]}", true).join();
			String f = until(queue, frames, "connected", "failed");
			if (f == null || !f.contains("\"connected\"")) {
				return new Probe(false, false, null, frames, "no connected: " + f);
			}
			ws.sendText("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[42,\"hello\",{\"a\":true}]}",
					true)
				.join();
			f = until(queue, frames, "result", null);
			boolean echoOk = f != null && f.replace(" ", "").contains("\"result\":[42,\"hello\",{\"a\":true}]");
			ws.sendText("{\"msg\":\"sub\",\"id\":\"s1\",\"name\":\"" + subName + "\",\"params\":" + subParams + "}",
					true)
				.join();
			f = until(queue, frames, "ready", "nosub");
			String sub = f == null ? "no answer" : (f.contains("\"ready\"") ? "ready" : "nosub");
			return new Probe(true, echoOk, sub, frames, echoOk ? null : "echo result wrong: " + frames);
		}
		catch (Exception ex) {
			return new Probe(false, false, null, frames, ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		finally {
			if (ws != null) {
				ws.sendClose(WebSocket.NORMAL_CLOSURE, "").completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
			}
		}
	}

	private static String until(BlockingQueue<String> queue, List<String> frames, String msg, String alt)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
		while (System.nanoTime() < deadline) {
			String f = queue.poll(100, TimeUnit.MILLISECONDS);
			if (f == null) {
				continue;
			}
			frames.add(f);
			String compact = f.replace(" ", "");
			if (compact.contains("\"msg\":\"" + msg + "\"")
					|| (alt != null && compact.contains("\"msg\":\"" + alt + "\""))) {
				return f;
			}
		}
		return null;
	}

}
