package io.ddp.spring.server.method;

import reactor.core.publisher.Mono;

/**
 * Adapts Reactor results; only loaded when Reactor is on the classpath.
 */
final class ReactorResults {

	private ReactorResults() {
	}

	static boolean isMono(Class<?> type) {
		return Mono.class.isAssignableFrom(type);
	}

	static Object toFuture(Object mono) {
		// An empty Mono completes with null, i.e. "result":null unless the declared type
		// is Mono<Void>.
		return ((Mono<?>) mono).toFuture();
	}

}
