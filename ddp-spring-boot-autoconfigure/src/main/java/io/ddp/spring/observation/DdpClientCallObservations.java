package io.ddp.spring.observation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes the method calls of DDP client connections as
 * {@link DdpClientObservationDocumentation#CALL} ({@code ddp.client.calls}): a client
 * wraps each asynchronous call with {@link #observe(String, String, Supplier)}.
 *
 * @author ddp-spring-boot
 * @since 0.1.0
 */
public class DdpClientCallObservations {

	private static final DdpClientCallObservationConvention DEFAULT_CONVENTION = new DefaultDdpClientCallObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable DdpClientCallObservationConvention convention;

	/**
	 * Create the observations.
	 * @param registry the observation registry
	 * @param convention replaces the default convention, or {@code null}
	 */
	public DdpClientCallObservations(ObservationRegistry registry,
			@Nullable DdpClientCallObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	/**
	 * Observe one call: the observation starts now, is current while {@code call} sends
	 * the {@code method} message, and stops when the returned future completes.
	 * @param <T> the result type
	 * @param connectionName the connection's configured name
	 * @param method the method name
	 * @param call sends the call and returns its result future
	 * @return the future of {@code call}, completing after the observation stopped
	 */
	public <T> CompletableFuture<T> observe(String connectionName, String method,
			Supplier<CompletableFuture<T>> call) {
		if (this.registry.isNoop()) {
			return call.get();
		}
		DdpClientCallObservationContext context = new DdpClientCallObservationContext(connectionName, method);
		Observation observation = DdpClientObservationDocumentation.CALL
			.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
			.start();
		CompletableFuture<T> future;
		try (Observation.Scope scope = observation.openScope()) {
			future = call.get();
		}
		catch (RuntimeException | Error ex) {
			context.setFailure(ex);
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		return future.whenComplete((result, error) -> {
			if (error != null) {
				Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause()
						: error;
				context.setFailure(cause);
				observation.error(cause);
			}
			else {
				context.setOutcome(DdpOutcome.SUCCESS);
			}
			observation.stop();
		});
	}

}
