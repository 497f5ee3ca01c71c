package io.ddp.sample.client;

import io.ddp.sample.SampleApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The client conformance suite against this project's server: the sample app's
 * {@code conformance} profile, started in-process on a random port.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("conformance")
class OwnServerClientConformanceTests extends ClientConformanceSuite {

	@LocalServerPort
	private int port;

	@Override
	String host() {
		return "127.0.0.1";
	}

	@Override
	int port() {
		return this.port;
	}

	@Override
	Server server() {
		return Server.SPRING;
	}

	@Override
	int accountsPort() {
		return this.port;
	}

}
