package io.ddp.sample.todo;

import io.ddp.sample.SampleApplication;
import io.ddp.spring.test.autoconfigure.AutoConfigureDdpTester;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The todo list in process: no server port, DDP sessions opened on the application's
 * server directly. The {@code remote} connection to the app itself is made lazy, as no
 * server listens for it.
 */
@SpringBootTest(classes = SampleApplication.class, properties = "ddp.client.connections.remote.lazy=true")
@AutoConfigureDdpTester
class TodoListInProcessTests extends TodoListTests {

}
