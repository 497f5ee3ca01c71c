package io.ddp.spring.test.tester;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Every frame a server sent on one connection, in order, with waits for a frame to
 * arrive. Waits block on the log's monitor until a new frame or the close arrives, so a
 * test never sleeps.
 */
final class FrameLog {

	private final List<JsonNode> frames = new ArrayList<>();

	private @Nullable String closeReason;

	synchronized void add(JsonNode frame) {
		this.frames.add(frame);
		notifyAll();
	}

	synchronized void closed(String reason) {
		if (this.closeReason == null) {
			this.closeReason = reason;
		}
		notifyAll();
	}

	synchronized boolean isClosed() {
		return this.closeReason != null;
	}

	synchronized int size() {
		return this.frames.size();
	}

	synchronized List<JsonNode> since(int index) {
		return List.copyOf(this.frames.subList(Math.min(index, this.frames.size()), this.frames.size()));
	}

	/**
	 * Wait for the first frame at or after {@code from} that matches.
	 * @throws AssertionError when none arrived in time or the connection closed first
	 */
	synchronized JsonNode await(int from, Predicate<JsonNode> matcher, Duration timeout, Supplier<String> description) {
		long deadline = System.nanoTime() + timeout.toNanos();
		int next = from;
		while (true) {
			for (; next < this.frames.size(); next++) {
				JsonNode frame = this.frames.get(next);
				if (matcher.test(frame)) {
					return frame;
				}
			}
			if (this.closeReason != null) {
				throw new AssertionError("Expected " + description.get() + " but the connection closed ("
						+ this.closeReason + "); frames received: " + since(from));
			}
			waitUntil(deadline,
					() -> "Expected " + description.get() + " within " + timeout + "; frames received: " + since(from));
		}
	}

	/**
	 * Run the assertions until they pass, again after each new frame, at most for the
	 * timeout; then the last failure is thrown.
	 */
	void awaitAsserted(Runnable assertions, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			int seen = size();
			try {
				assertions.run();
				return;
			}
			catch (AssertionError ex) {
				synchronized (this) {
					if (this.frames.size() == seen) {
						try {
							waitUntil(deadline, () -> "timed out");
						}
						catch (AssertionError timedOut) {
							ex.addSuppressed(new AssertionError("Still failing after " + timeout));
							throw ex;
						}
					}
				}
			}
		}
	}

	private void waitUntil(long deadline, Supplier<String> message) {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			throw new AssertionError(message.get());
		}
		try {
			Duration wait = Duration.ofNanos(left);
			wait(Math.max(1, wait.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting", ex);
		}
	}

}
