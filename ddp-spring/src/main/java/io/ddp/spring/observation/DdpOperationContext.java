package io.ddp.spring.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What every observed DDP operation records: how it ended.
 *
 * @since 0.1.0
 */
public abstract class DdpOperationContext extends Observation.Context {

	private DdpOutcome outcome = DdpOutcome.UNKNOWN;

	private @Nullable Throwable failure;

	/**
	 * Return how the operation ended.
	 * @return the outcome, {@link DdpOutcome#UNKNOWN} while it runs
	 */
	public DdpOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Set how the operation ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(DdpOutcome outcome) {
		this.outcome = outcome;
	}

	/**
	 * Return the exception the operation failed with (also available as
	 * {@link #getError()} once the observation recorded it).
	 * @return the exception or {@code null}
	 */
	public @Nullable Throwable getFailure() {
		return this.failure;
	}

	/**
	 * Record a failure and the outcome it implies.
	 * @param failure the exception
	 */
	public void setFailure(Throwable failure) {
		this.failure = failure;
		this.outcome = DdpOutcome.of(failure);
	}

}
