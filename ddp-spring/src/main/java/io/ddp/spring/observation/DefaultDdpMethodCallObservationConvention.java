package io.ddp.spring.observation;

import io.ddp.spring.observation.DdpServerObservationDocumentation.CommonHighCardinalityKeyNames;
import io.ddp.spring.observation.DdpServerObservationDocumentation.MethodCallKeyNames;
import io.ddp.spring.server.ClientConnection;
import io.micrometer.common.KeyValues;

/**
 * The default {@link DdpMethodCallObservationConvention}: {@code ddp.server.methods} with
 * the tags of {@link MethodCallKeyNames}. A method name the server does not have is
 * tagged {@code UNKNOWN}, so clients cannot create meters.
 *
 * @since 0.1.0
 */
public class DefaultDdpMethodCallObservationConvention implements DdpMethodCallObservationConvention {

	/**
	 * The tag value of methods the server does not have.
	 */
	public static final String UNKNOWN = "UNKNOWN";

	@Override
	public String getName() {
		return "ddp.server.methods";
	}

	@Override
	public String getContextualName(DdpMethodCallObservationContext context) {
		return "method " + methodValue(context);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(DdpMethodCallObservationContext context) {
		return KeyValues.of(MethodCallKeyNames.METHOD.withValue(methodValue(context)),
				MethodCallKeyNames.OUTCOME.withValue(context.getOutcome().name()),
				MethodCallKeyNames.ERROR.withValue(DdpOutcome.errorValue(context.getFailure())),
				MethodCallKeyNames.ERROR_CODE.withValue(DdpOutcome.errorCodeValue(context.getFailure())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(DdpMethodCallObservationContext context) {
		ClientConnection connection = context.getConnection();
		return (connection != null) ? KeyValues.of(CommonHighCardinalityKeyNames.SESSION_ID.withValue(connection.id()))
				: KeyValues.empty();
	}

	/**
	 * Return the {@code ddp.method} tag value.
	 * @param context the context
	 * @return the method name, or {@link #UNKNOWN} if the server has no such method
	 */
	protected String methodValue(DdpMethodCallObservationContext context) {
		return context.isRegistered() ? context.getMethodName() : UNKNOWN;
	}

}
