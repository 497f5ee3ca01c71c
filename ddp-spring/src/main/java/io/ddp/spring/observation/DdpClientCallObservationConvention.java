package io.ddp.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention for the observations of DDP client method calls; declare a bean to replace
 * {@link DefaultDdpClientCallObservationConvention}, or extend that.
 *
 * @since 0.1.0
 */
public interface DdpClientCallObservationConvention extends ObservationConvention<DdpClientCallObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof DdpClientCallObservationContext;
	}

}
