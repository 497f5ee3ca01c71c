package io.ddp.spring.autoconfigure.client.services;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.ddp.spring.client.DdpSubscription;
import io.ddp.spring.client.service.DdpCall;
import io.ddp.spring.client.service.DdpService;
import io.ddp.spring.client.service.DdpSubscribe;

/**
 * A declarative client found by scanning.
 */
@DdpService(connection = "remote")
public interface GreetingClient {

	@DdpCall("greetings.hello")
	String hello(String name);

	@DdpCall("greetings.recent")
	CompletableFuture<List<Greeting>> recent(int limit);

	@DdpSubscribe("greetings")
	DdpSubscription greetings();

	/**
	 * A greeting document.
	 *
	 * @param from who
	 * @param text what
	 */
	record Greeting(String from, String text) {
	}

}
