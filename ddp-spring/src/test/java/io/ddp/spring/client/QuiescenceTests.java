package io.ddp.spring.client;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Quiescence}: buffering of data messages while a wait method or a
 * reconnect is pending (sections 6.4, 6.6, 6.7).
 */
class QuiescenceTests {

	static IncomingMessage message(String msg) {
		IncomingMessage message = new IncomingMessage();
		message.msg = msg;
		return message;
	}

	static IncomingMessage added(String id) {
		IncomingMessage message = message("added");
		message.collection = "c";
		message.id = id;
		return message;
	}

	static IncomingMessage ready(String... subs) {
		IncomingMessage message = message("ready");
		message.subs = List.of(subs);
		return message;
	}

	static IncomingMessage updated(String... methods) {
		IncomingMessage message = message("updated");
		message.methods = List.of(methods);
		return message;
	}

	@Test
	void withNothingPendingMessagesPassStraightThrough() {
		Quiescence quiescence = new Quiescence();
		assertThat(quiescence.isIdle()).isTrue();
		IncomingMessage added = added("a");
		assertThat(quiescence.offer(added)).containsExactly(added);
		assertThat(quiescence.takeReset()).isFalse();
	}

	@Test
	void aWaitMethodBuffersDataUntilItsUpdated() {
		Quiescence quiescence = new Quiescence();
		quiescence.blockOn("7");
		assertThat(quiescence.isIdle()).isFalse();
		IncomingMessage a = added("a");
		IncomingMessage b = added("b");
		IncomingMessage other = updated("3");
		IncomingMessage done = updated("7");
		assertThat(quiescence.offer(a)).isNull();
		assertThat(quiescence.offer(other)).isNull();
		assertThat(quiescence.offer(b)).isNull();
		assertThat(quiescence.offer(done)).containsExactly(a, other, b, done);
		assertThat(quiescence.isWaiting()).isFalse();
	}

	@Test
	void reconnectWaitsForRevivedSubsAndMethodsSentOnTheNewConnection() {
		Quiescence quiescence = new Quiescence();
		MethodInvoker halfFinished = MethodBlocksTests.invoker("4", false);
		quiescence.connected(true, List.of("s1", "s2"), List.of("5"), List.of(halfFinished));
		assertThat(quiescence.isWaiting()).isTrue();
		IncomingMessage a = added("a");
		assertThat(quiescence.offer(a)).isNull();
		assertThat(quiescence.offer(ready("s1"))).isNull();
		IncomingMessage nosub = message("nosub");
		nosub.id = "s2";
		assertThat(quiescence.offer(nosub)).isNull();
		List<IncomingMessage> batch = quiescence.offer(updated("5"));
		assertThat(batch).hasSize(4).startsWith(a);
		// the batch must still replace the collections
		assertThat(quiescence.isIdle()).isFalse();
		assertThat(quiescence.takeReset()).isTrue();
		assertThat(quiescence.isIdle()).isTrue();
		assertThat(quiescence.takeReset()).isFalse();
		assertThat(quiescence.takeAfterUpdate()).containsExactly(halfFinished);
	}

	@Test
	void aFirstConnectionNeedsNoReset() {
		Quiescence quiescence = new Quiescence();
		quiescence.connected(false, List.of("s1"), List.of("5"), List.of());
		assertThat(quiescence.isWaiting()).isFalse();
		assertThat(quiescence.takeReset()).isFalse();
	}

	@Test
	void aForgottenMethodStopsBlocking() {
		Quiescence quiescence = new Quiescence();
		quiescence.blockOn("7");
		quiescence.forget("7");
		assertThat(quiescence.isWaiting()).isFalse();
	}

}
