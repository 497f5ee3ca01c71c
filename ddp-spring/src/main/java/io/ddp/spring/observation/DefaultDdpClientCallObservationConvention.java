package io.ddp.spring.observation;

import io.ddp.spring.observation.DdpClientObservationDocumentation.CallKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The default {@link DdpClientCallObservationConvention}: {@code ddp.client.calls} with
 * the tags of {@link CallKeyNames}.
 *
 * @since 0.1.0
 */
public class DefaultDdpClientCallObservationConvention implements DdpClientCallObservationConvention {

	@Override
	public String getName() {
		return "ddp.client.calls";
	}

	@Override
	public String getContextualName(DdpClientCallObservationContext context) {
		return "call " + context.getMethodName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(DdpClientCallObservationContext context) {
		return KeyValues.of(CallKeyNames.CLIENT_NAME.withValue(context.getConnectionName()),
				CallKeyNames.METHOD.withValue(context.getMethodName()),
				CallKeyNames.OUTCOME.withValue(context.getOutcome().name()),
				CallKeyNames.ERROR.withValue(DdpOutcome.errorValue(context.getFailure())),
				CallKeyNames.ERROR_CODE.withValue(DdpOutcome.errorCodeValue(context.getFailure())));
	}

}
