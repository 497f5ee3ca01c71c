package io.ddp.spring.server.websocket;

import java.io.EOFException;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which of Tomcat's completion tasks {@link TomcatWriteCompletions} runs on the calling
 * thread, with Tomcat's own task type: only one the thread was armed for, only a
 * successful one, and only once per arming.
 */
class TomcatWriteCompletionsTests {

	private final List<SendResult> results = new ArrayList<>();

	private final SendHandler handler = this.results::add;

	@Test
	void tomcatsCompletionTaskIsRecognised() {
		assertThat(TomcatWriteCompletions.isAvailable()).isTrue();
	}

	@Test
	void completionRunsInlineOnlyOnAnArmedThread() throws Exception {
		Runnable completion = completion(null);
		assertThat(TomcatWriteCompletions.runIfInline(completion)).isFalse();
		assertThat(this.results).isEmpty();
		TomcatWriteCompletions.Sender sender = TomcatWriteCompletions.arm();
		try {
			assertThat(TomcatWriteCompletions.runIfInline(completion)).isTrue();
			assertThat(this.results).singleElement().satisfies((result) -> assertThat(result.isOK()).isTrue());
			// One completion per arming: one that writes again goes to the pool.
			assertThat(TomcatWriteCompletions.runIfInline(completion(null))).isFalse();
			assertThat(this.results).hasSize(1);
		}
		finally {
			sender.disarm();
		}
	}

	@Test
	void failedWriteIsLeftToThePool() throws Exception {
		TomcatWriteCompletions.Sender sender = TomcatWriteCompletions.arm();
		try {
			assertThat(TomcatWriteCompletions.runIfInline(completion(new EOFException()))).isFalse();
			assertThat(this.results).isEmpty();
		}
		finally {
			sender.disarm();
		}
	}

	@Test
	void otherTasksAreLeftToThePool() {
		boolean[] ran = { false };
		TomcatWriteCompletions.Sender sender = TomcatWriteCompletions.arm();
		try {
			assertThat(TomcatWriteCompletions.runIfInline(() -> ran[0] = true)).isFalse();
			assertThat(ran[0]).isFalse();
		}
		finally {
			sender.disarm();
		}
	}

	@Test
	void armingIsPerThread() throws Exception {
		Runnable completion = completion(null);
		TomcatWriteCompletions.Sender sender = TomcatWriteCompletions.arm();
		try {
			boolean[] inline = { true };
			Thread other = new Thread(() -> inline[0] = TomcatWriteCompletions.runIfInline(completion));
			other.start();
			other.join();
			assertThat(inline[0]).isFalse();
			assertThat(this.results).isEmpty();
		}
		finally {
			sender.disarm();
		}
	}

	// Tomcat's own completion task, as its endpoint makes it for a write that ended.
	private Runnable completion(Throwable failure) throws Exception {
		Class<?> type = Class.forName("org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer$OnResultRunnable");
		Constructor<?> constructor = type.getDeclaredConstructors()[0];
		constructor.setAccessible(true);
		return (Runnable) constructor.newInstance(null, this.handler, failure);
	}

}
