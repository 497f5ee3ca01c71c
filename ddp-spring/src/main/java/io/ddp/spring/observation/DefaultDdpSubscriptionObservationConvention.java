package io.ddp.spring.observation;

import io.ddp.spring.observation.DdpServerObservationDocumentation.CommonHighCardinalityKeyNames;
import io.ddp.spring.observation.DdpServerObservationDocumentation.SubscriptionKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The default {@link DdpSubscriptionObservationConvention}:
 * {@code ddp.server.subscriptions} with the tags of {@link SubscriptionKeyNames}. A
 * publication name the server does not have is tagged {@code UNKNOWN}.
 *
 * @since 0.1.0
 */
public class DefaultDdpSubscriptionObservationConvention implements DdpSubscriptionObservationConvention {

	/**
	 * The tag value of publications the server does not have.
	 */
	public static final String UNKNOWN = "UNKNOWN";

	@Override
	public String getName() {
		return "ddp.server.subscriptions";
	}

	@Override
	public String getContextualName(DdpSubscriptionObservationContext context) {
		return "subscribe " + publicationValue(context);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(DdpSubscriptionObservationContext context) {
		return KeyValues.of(SubscriptionKeyNames.PUBLICATION.withValue(publicationValue(context)),
				SubscriptionKeyNames.OUTCOME.withValue(context.getOutcome().name()),
				SubscriptionKeyNames.ERROR.withValue(DdpOutcome.errorValue(context.getFailure())),
				SubscriptionKeyNames.ERROR_CODE.withValue(DdpOutcome.errorCodeValue(context.getFailure())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(DdpSubscriptionObservationContext context) {
		return KeyValues.of(CommonHighCardinalityKeyNames.SESSION_ID.withValue(context.getConnection().id()));
	}

	/**
	 * Return the {@code ddp.publication} tag value.
	 * @param context the context
	 * @return the publication name, or {@link #UNKNOWN} if the server has no such
	 * publication
	 */
	protected String publicationValue(DdpSubscriptionObservationContext context) {
		return context.isRegistered() ? context.getPublicationName() : UNKNOWN;
	}

}
