package io.ddp.sample.todo;

import java.util.List;
import java.util.Map;

import io.ddp.sample.FixedFreePort;
import io.ddp.sample.SampleApplication;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpMethodCaller;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The default profile's {@code todos.mirror}: the app's own DDP client (the lazy
 * {@code remote} connection to itself) subscribes to {@code todos} over a real WebSocket
 * and serves its local collection; {@code remote.status} reports that connection.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class TodoMirrorTests {

	@Autowired
	DdpMethodCaller caller;

	@DynamicPropertySource
	static void freePort(DynamicPropertyRegistry registry) {
		FixedFreePort.register(registry);
	}

	@Test
	@SuppressWarnings("unchecked")
	void mirrorServesTheTodosThroughTheAppsOwnClient() {
		String id = this.caller.call("todos.add", String.class, "mirror me");
		List<Map<String, Object>> mirrored = this.caller.call("todos.mirror", List.class);
		assertThat(mirrored).anySatisfy((todo) -> {
			assertThat(todo).containsEntry("_id", id).containsEntry("text", "mirror me").containsEntry("done", false);
		});
		Map<String, Object> status = this.caller.call("remote.status", Map.class);
		assertThat(status).containsEntry("status", "connected").containsEntry("connected", true);
		// The app has no echo outside the conformance profile: the remote's 404 comes
		// back
		assertThatExceptionOfType(DdpException.class).isThrownBy(() -> this.caller.call("remote.echo", "x"))
			.satisfies((ex) -> assertThat(ex.getError()).isEqualTo(404));
	}

}
