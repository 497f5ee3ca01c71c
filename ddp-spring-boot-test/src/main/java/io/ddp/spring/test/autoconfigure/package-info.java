/**
 * {@link io.ddp.spring.test.autoconfigure.AutoConfigureDdpTester}: a
 * {@link io.ddp.spring.test.tester.DdpTester} bean for tests of a DDP application.
 */
@NullMarked
package io.ddp.spring.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
