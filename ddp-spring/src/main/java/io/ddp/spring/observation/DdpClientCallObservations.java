package io.ddp.spring.observation;

import io.ddp.spring.client.DdpCallObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes the method calls of DDP client connections as
 * {@link DdpClientObservationDocumentation#CALL} ({@code ddp.client.calls}): the
 * auto-configuration sets it as the {@link DdpCallObserver} of every connection it
 * creates. The observation starts when the call is made and stops when its result and
 * data arrived or it failed.
 *
 * @since 0.1.0
 */
public class DdpClientCallObservations implements DdpCallObserver {

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

	@Override
	public Call callStarted(String connection, String method) {
		if (this.registry.isNoop()) {
			return Call.NONE;
		}
		DdpClientCallObservationContext context = new DdpClientCallObservationContext(connection, method);
		Observation observation = DdpClientObservationDocumentation.CALL
			.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
			.start();
		return (failure) -> {
			if (failure != null) {
				context.setFailure(failure);
				observation.error(failure);
			}
			else {
				context.setOutcome(DdpOutcome.SUCCESS);
			}
			observation.stop();
		};
	}

}
