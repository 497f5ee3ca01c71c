package io.ddp.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention for the observations of DDP server subscriptions; declare a bean to replace
 * {@link DefaultDdpSubscriptionObservationConvention}, or extend that.
 *
 * @since 0.1.0
 */
public interface DdpSubscriptionObservationConvention extends ObservationConvention<DdpSubscriptionObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof DdpSubscriptionObservationContext;
	}

}
