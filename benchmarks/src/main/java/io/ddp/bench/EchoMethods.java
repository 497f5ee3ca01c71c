package io.ddp.bench;

import java.util.Map;

import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.publication.DdpPublication;
import io.ddp.spring.server.publication.ServerSubscription;

import org.springframework.stereotype.Component;

/**
 * The DDP method and publication the benchmark uses; the same contract as the Meteor
 * fixture's {@code echo} and {@code items} ({@code ../shared/meteor-reference/app.js}).
 */
@Component
public class EchoMethods {

	/** Returns its arguments array. */
	@DdpMethod("echo")
	public Object[] echo(Object... args) {
		return args;
	}

	/**
	 * {@code count} documents {@code i0..} in collection {@code items} with
	 * {@code {value: index}}, then ready.
	 */
	@DdpPublication
	public void items(int count, ServerSubscription subscription) {
		for (int i = 0; i < count; i++) {
			subscription.added("items", "i" + i, Map.of("value", i));
		}
		subscription.ready();
	}

}
