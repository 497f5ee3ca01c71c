package io.ddp.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention for the observations of DDP server method calls; declare a bean to replace
 * {@link DefaultDdpMethodCallObservationConvention}, or extend that.
 *
 * @since 0.1.0
 */
public interface DdpMethodCallObservationConvention extends ObservationConvention<DdpMethodCallObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof DdpMethodCallObservationContext;
	}

}
