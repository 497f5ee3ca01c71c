package io.ddp.spring.server.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a session's queue tells the transport about the messages behind the one it runs
 * ({@link SessionBacklog}): set while more are queued, cleared for the last one and when
 * the worker leaves, and never seen by another thread.
 */
class SessionQueueBacklogTests {

	private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

	private final List<String> seen = new ArrayList<>();

	@Test
	void handlerSeesMoreQueuedUntilTheLastMessage() {
		SessionQueue<String> queue = new SessionQueue<>(this.tasks::add, (message, turn) -> {
			this.seen.add(message + "=" + SessionBacklog.hasMore());
			turn.finish();
		});
		queue.add("a");
		queue.add("b");
		queue.add("c");
		runTasks();
		assertThat(this.seen).containsExactly("a=true", "b=true", "c=false");
		// The worker left the session: nothing is claimed for this thread any more.
		assertThat(SessionBacklog.hasMore()).isFalse();
	}

	@Test
	void backlogIsClearedWhenTheWorkerLeavesAMessageUnfinished() {
		List<SessionQueue<String>.Turn> open = new ArrayList<>();
		SessionQueue<String> queue = new SessionQueue<>(this.tasks::add, (message, turn) -> {
			this.seen.add(message + "=" + SessionBacklog.hasMore());
			open.add(turn);
		});
		queue.add("a");
		queue.add("b");
		runTasks();
		// "a" has not finished: the worker returned with "b" still queued.
		assertThat(this.seen).containsExactly("a=true");
		assertThat(SessionBacklog.hasMore()).isFalse();
		open.get(0).finish();
		runTasks();
		assertThat(this.seen).containsExactly("a=true", "b=false");
	}

	@Test
	void anotherThreadSeesNoBacklog() throws InterruptedException {
		boolean[] otherThread = { true };
		SessionQueue<String> queue = new SessionQueue<>(this.tasks::add, (message, turn) -> {
			this.seen.add(message + "=" + SessionBacklog.hasMore());
			if (message.equals("a")) {
				Thread thread = new Thread(() -> otherThread[0] = SessionBacklog.hasMore());
				thread.start();
				thread.join();
			}
			turn.finish();
		});
		queue.add("a");
		queue.add("b");
		runTasks();
		assertThat(this.seen).containsExactly("a=true", "b=false");
		assertThat(otherThread[0]).isFalse();
	}

	private void runTasks() {
		Runnable task;
		while ((task = this.tasks.poll()) != null) {
			task.run();
		}
	}

}
