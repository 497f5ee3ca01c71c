package io.ddp.spring.autoconfigure.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClientListener;
import io.ddp.spring.test.client.ScriptedDdpConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The lazy connection creates its delegate at first use and hands it the listeners added
 * before.
 */
class LazyConnectingDdpConnectionTests {

	private final AtomicInteger created = new AtomicInteger();

	private final ScriptedDdpConnection delegate = new ScriptedDdpConnection("late");

	private final LazyConnectingDdpConnection connection = new LazyConnectingDdpConnection("late", () -> {
		this.created.incrementAndGet();
		return this.delegate;
	});

	@Test
	void readingTheStatusCreatesNothing() {
		assertThat(this.connection.name()).isEqualTo("late");
		assertThat(this.connection.status().state()).isEqualTo(ConnectionState.CONNECTING);
		assertThat(this.connection.status().connected()).isFalse();
		assertThat(this.connection.sessionId()).isNull();
		assertThat(this.connection.activeCallCount()).isZero();
		this.connection.disconnect();
		assertThat(this.connection.toString()).contains("not used yet");
		assertThat(this.created).hasValue(0);
	}

	@Test
	void listenersAddedBeforeTheDelegateExistsHearIt() throws Exception {
		List<String> heard = new CopyOnWriteArrayList<>();
		this.connection.addListener(new DdpClientListener() {

			@Override
			public void connected(String sessionId, String version, boolean reconnect) {
				heard.add("kept " + sessionId);
			}

		});
		AutoCloseable removed = this.connection.addListener(new DdpClientListener() {

			@Override
			public void connected(String sessionId, String version, boolean reconnect) {
				heard.add("removed " + sessionId);
			}

		});
		removed.close();
		this.connection.connect();
		this.connection.connect();
		assertThat(this.created).hasValue(1);
		assertThat(this.connection.isStarted()).isTrue();
		this.delegate.connected("s1");
		assertThat(heard).containsExactly("kept s1");
		assertThat(this.connection.status().connected()).isTrue();
	}

	@Test
	void closedBeforeUseItNeverCreatesTheDelegate() {
		this.connection.close();
		assertThat(this.created).hasValue(0);
		assertThatIllegalStateException().isThrownBy(() -> this.connection.call("echo"))
			.withMessageContaining("'late' is closed");
	}

}
