package io.ddp.sample.conformance;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.publication.DdpPublication;
import io.ddp.spring.server.publication.ServerSubscription;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The publications of the conformance fixture, with the same behaviour as the Meteor
 * reference app ({@code ../shared/meteor-reference/app.js}).
 */
@Component
@Profile("conformance")
public class ConformancePublications implements DisposableBean {

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "conformance-counter");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Just gets ready; limited to 2 subscriptions per 5 s per connection
	 * ({@code application-conformance.yml}).
	 * @param subscription the subscription
	 */
	@DdpPublication
	public void limitedPub(ServerSubscription subscription) {
		subscription.ready();
	}

	@DdpPublication
	public void items(int count, ServerSubscription subscription) {
		for (int i = 0; i < count; i++) {
			subscription.added("items", "i" + i, Map.of("value", i));
		}
		subscription.ready();
	}

	@DdpPublication
	public void failingPub() {
		throw new DdpException("sub-failed", "Subscription failed");
	}

	@DdpPublication
	public void overlapA(ServerSubscription subscription) {
		subscription.added("overlap", "shared", orderedFields("a", 1, "common", "A"));
		subscription.ready();
	}

	@DdpPublication
	public void overlapB(ServerSubscription subscription) {
		subscription.added("overlap", "shared", orderedFields("b", 2, "common", "B"));
		subscription.ready();
	}

	@DdpPublication
	public void counter(ServerSubscription subscription) {
		AtomicInteger n = new AtomicInteger();
		subscription.added("counters", "c", Map.of("n", 0));
		subscription.ready();
		ScheduledFuture<?> ticks = this.ticker.scheduleAtFixedRate(
				() -> subscription.changed("counters", "c", Map.of("n", n.incrementAndGet())), 50, 50,
				TimeUnit.MILLISECONDS);
		subscription.onStop(() -> ticks.cancel(false));
	}

	private static Map<String, Object> orderedFields(String k1, Object v1, String k2, Object v2) {
		Map<String, Object> fields = new java.util.LinkedHashMap<>();
		fields.put(k1, v1);
		fields.put(k2, v2);
		return fields;
	}

	@Override
	public void destroy() {
		this.ticker.shutdownNow();
	}

}
