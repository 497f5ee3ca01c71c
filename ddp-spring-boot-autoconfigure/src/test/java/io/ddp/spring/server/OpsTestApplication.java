package io.ddp.spring.server;

import java.util.Map;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.publication.DdpPublication;
import io.ddp.spring.server.publication.ServerSubscription;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the operations tests (meters, observations, endpoint, shutdown) talk to
 * over real sockets.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class OpsTestApplication {

	@Bean
	OpsMethods opsMethods() {
		return new OpsMethods();
	}

	@Bean
	OpsPublications opsPublications() {
		return new OpsPublications();
	}

	static class OpsMethods {

		@DdpMethod
		public Object[] echo(Object... args) {
			return args;
		}

		@DdpMethod
		public void refuse() {
			throw new DdpException("not-allowed", "No");
		}

		@DdpMethod
		public void crash() {
			throw new IllegalStateException("boom");
		}

		@DdpMethod
		public String sleep(long millis) throws InterruptedException {
			Thread.sleep(millis);
			return "slept " + millis;
		}

	}

	static class OpsPublications {

		@DdpPublication
		public void docs(int count, ServerSubscription subscription) {
			for (int i = 0; i < count; i++) {
				subscription.added("docs", "d" + i, Map.of("n", i));
			}
			subscription.ready();
		}

		@DdpPublication
		public void refused() {
			throw new DdpException(403, "Forbidden");
		}

		@DdpPublication
		public void neverReady(ServerSubscription subscription) {
		}

	}

}
