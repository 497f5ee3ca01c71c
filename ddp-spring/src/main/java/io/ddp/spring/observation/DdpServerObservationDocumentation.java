package io.ddp.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of a DDP server. Each gives a timer, a long task timer (operations in
 * progress) and, with tracing, a span.
 *
 * @since 0.1.0
 */
public enum DdpServerObservationDocumentation implements ObservationDocumentation {

	/**
	 * A method call, from {@code method} until its {@code result} is ready to send. The
	 * method's handler runs in the observation's scope.
	 */
	METHOD_CALL {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultDdpMethodCallObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return MethodCallKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { CommonHighCardinalityKeyNames.SESSION_ID };
		}

	},

	/**
	 * A subscription, from {@code sub} until it is ready, fails ({@code nosub} with an
	 * error) or stops before being ready. The publication's handler runs in the
	 * observation's scope.
	 */
	SUBSCRIPTION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultDdpSubscriptionObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return SubscriptionKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { CommonHighCardinalityKeyNames.SESSION_ID };
		}

	};

	/**
	 * Tags of {@link #METHOD_CALL}.
	 */
	public enum MethodCallKeyNames implements KeyName {

		/** The method name if the server has that method, otherwise {@code UNKNOWN}. */
		METHOD {
			@Override
			public String asString() {
				return "ddp.method";
			}
		},

		/** {@link DdpOutcome}: {@code SUCCESS}, {@code ERROR} or {@code SERVER_ERROR}. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/**
		 * The exception's simple class name, {@code none} without failure (the value
		 * Micrometer's meter handler writes for this key).
		 */
		ERROR {
			@Override
			public String asString() {
				return "error";
			}
		},

		/**
		 * The DDP error code of a {@code DdpException} ({@code 404},
		 * {@code not-authorized}, {@code timeout}, ...), {@code none} otherwise.
		 */
		ERROR_CODE {
			@Override
			public String asString() {
				return "ddp.error.code";
			}
		}

	}

	/**
	 * Tags of {@link #SUBSCRIPTION}.
	 */
	public enum SubscriptionKeyNames implements KeyName {

		/** The publication name if the server has it, otherwise {@code UNKNOWN}. */
		PUBLICATION {
			@Override
			public String asString() {
				return "ddp.publication";
			}
		},

		/**
		 * {@link DdpOutcome}: {@code SUCCESS} (ready), {@code ERROR},
		 * {@code SERVER_ERROR} or {@code STOPPED}.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/**
		 * The exception's simple class name, {@code none} without failure (the value
		 * Micrometer's meter handler writes for this key).
		 */
		ERROR {
			@Override
			public String asString() {
				return "error";
			}
		},

		/**
		 * The DDP error code of a {@code DdpException} ({@code 404},
		 * {@code not-authorized}, {@code timeout}, ...), {@code none} otherwise.
		 */
		ERROR_CODE {
			@Override
			public String asString() {
				return "ddp.error.code";
			}
		}

	}

	/**
	 * Span-only tags of the server observations.
	 */
	public enum CommonHighCardinalityKeyNames implements KeyName {

		/** The DDP session id. */
		SESSION_ID {
			@Override
			public String asString() {
				return "ddp.session.id";
			}
		}

	}

}
