/**
 * The pieces of {@code legodnn demo} that are more than glue: which budgets to sweep
 * ({@link org.legodnn.demo.BudgetSweep}), measuring a live composition
 * ({@link org.legodnn.demo.CompositionMeter}), switching under concurrent inference
 * ({@link org.legodnn.demo.LiveSwitchDrill}) and the report ({@link org.legodnn.demo.DemoReport}).
 */
package org.legodnn.demo;
