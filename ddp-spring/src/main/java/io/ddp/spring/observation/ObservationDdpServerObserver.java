package io.ddp.spring.observation;

import java.util.concurrent.atomic.AtomicBoolean;

import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.DdpServerObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes a DDP server's method calls
 * ({@link DdpServerObservationDocumentation#METHOD_CALL}) and subscriptions
 * ({@link DdpServerObservationDocumentation#SUBSCRIPTION}) with the Micrometer
 * Observation API. Every failure is recorded as the observation's error.
 *
 * @since 0.1.0
 */
public class ObservationDdpServerObserver implements DdpServerObserver {

	private static final DdpMethodCallObservationConvention DEFAULT_METHOD_CONVENTION = new DefaultDdpMethodCallObservationConvention();

	private static final DdpSubscriptionObservationConvention DEFAULT_SUBSCRIPTION_CONVENTION = new DefaultDdpSubscriptionObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable DdpMethodCallObservationConvention methodConvention;

	private final @Nullable DdpSubscriptionObservationConvention subscriptionConvention;

	/**
	 * Create an observer with the default conventions.
	 * @param registry the observation registry
	 */
	public ObservationDdpServerObserver(ObservationRegistry registry) {
		this(registry, null, null);
	}

	/**
	 * Create an observer.
	 * @param registry the observation registry
	 * @param methodConvention replaces the default method-call convention, or
	 * {@code null}
	 * @param subscriptionConvention replaces the default subscription convention, or
	 * {@code null}
	 */
	public ObservationDdpServerObserver(ObservationRegistry registry,
			@Nullable DdpMethodCallObservationConvention methodConvention,
			@Nullable DdpSubscriptionObservationConvention subscriptionConvention) {
		this.registry = registry;
		this.methodConvention = methodConvention;
		this.subscriptionConvention = subscriptionConvention;
	}

	@Override
	public Operation methodCall(@Nullable ClientConnection connection, String method, boolean registered) {
		if (this.registry.isNoop()) {
			return Operation.NONE;
		}
		DdpMethodCallObservationContext context = new DdpMethodCallObservationContext(method, registered, connection);
		Observation observation = DdpServerObservationDocumentation.METHOD_CALL
			.observation(this.methodConvention, DEFAULT_METHOD_CONVENTION, () -> context, this.registry)
			.start();
		return new ObservedOperation(observation, context);
	}

	@Override
	public Operation subscription(ClientConnection connection, String publication, boolean registered) {
		if (this.registry.isNoop()) {
			return Operation.NONE;
		}
		DdpSubscriptionObservationContext context = new DdpSubscriptionObservationContext(publication, registered,
				connection);
		Observation observation = DdpServerObservationDocumentation.SUBSCRIPTION
			.observation(this.subscriptionConvention, DEFAULT_SUBSCRIPTION_CONVENTION, () -> context, this.registry)
			.start();
		return new ObservedOperation(observation, context);
	}

	/**
	 * One running observation; the first reported outcome stops it, later ones are
	 * ignored (a subscription may be stopped after it was ready).
	 */
	private static final class ObservedOperation implements Operation {

		private final Observation observation;

		private final DdpOperationContext context;

		private final AtomicBoolean ended = new AtomicBoolean();

		ObservedOperation(Observation observation, DdpOperationContext context) {
			this.observation = observation;
			this.context = context;
		}

		@Override
		public Scope openScope() {
			Observation.Scope scope = this.observation.openScope();
			return scope::close;
		}

		@Override
		public void succeeded() {
			if (this.ended.compareAndSet(false, true)) {
				this.context.setOutcome(DdpOutcome.SUCCESS);
				this.observation.stop();
			}
		}

		@Override
		public void failed(Throwable error) {
			if (this.ended.compareAndSet(false, true)) {
				Throwable cause = unwrap(error);
				this.context.setFailure(cause);
				this.observation.error(cause);
				this.observation.stop();
			}
		}

		@Override
		public void stopped() {
			if (this.ended.compareAndSet(false, true)) {
				this.context.setOutcome(DdpOutcome.STOPPED);
				this.observation.stop();
			}
		}

		private static Throwable unwrap(Throwable error) {
			Throwable current = error;
			while ((current instanceof java.util.concurrent.CompletionException
					|| current instanceof java.util.concurrent.ExecutionException
					|| current instanceof java.lang.reflect.InvocationTargetException
					|| current instanceof java.lang.reflect.UndeclaredThrowableException)
					&& current.getCause() != null) {
				current = current.getCause();
			}
			return current;
		}

	}

}
