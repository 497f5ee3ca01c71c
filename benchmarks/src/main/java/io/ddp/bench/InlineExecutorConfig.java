package io.ddp.bench;

import java.util.concurrent.Executor;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Experiment, off unless {@code bench.inline-executor=true}: replaces the application
 * task executor (on which the DDP server runs each session's message queue) with one that
 * runs tasks on the calling thread, i.e. on the container's socket thread. It measures
 * what the hand-off from the socket thread to the executor costs per call; it is not a
 * recommended setting (a blocking method would then block a container thread).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("bench.inline-executor")
class InlineExecutorConfig {

	@Bean(name = "applicationTaskExecutor")
	Executor applicationTaskExecutor() {
		return Runnable::run;
	}

}
