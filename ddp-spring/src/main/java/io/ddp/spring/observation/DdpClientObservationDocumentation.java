package io.ddp.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of a DDP client connection.
 *
 * @since 0.1.0
 */
public enum DdpClientObservationDocumentation implements ObservationDocumentation {

	/**
	 * A method call, from sending (or queueing) {@code method} until its result arrived.
	 */
	CALL {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultDdpClientCallObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return CallKeyNames.values();
		}

	};

	/**
	 * Tags of {@link #CALL}.
	 */
	public enum CallKeyNames implements KeyName {

		/** The connection's configured name. */
		CLIENT_NAME {
			@Override
			public String asString() {
				return "ddp.client.name";
			}
		},

		/** The called method. */
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

}
