package io.ddp.spring.test;

import io.ddp.spring.test.autoconfigure.AutoConfigureDdpTester;
import io.ddp.spring.test.autoconfigure.DdpTesterTransport;
import io.ddp.spring.test.tester.DdpTester;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @AutoConfigureDdpTester}'s attributes: in process although a server listens, and
 * logged in as a user.
 */
@SpringBootTest(classes = TesterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureDdpTester(transport = DdpTesterTransport.IN_PROCESS, userId = "u1")
class DdpTesterTransportAttributeTests {

	@Autowired
	DdpTester tester;

	@Test
	void theAttributesChooseTheTransportAndTheUser() {
		assertThat(this.tester.call("connection").result().json().get("transport").asString()).isEqualTo("in-process");
		this.tester.call("whoami").result().isEqualTo("u1");
	}

}
