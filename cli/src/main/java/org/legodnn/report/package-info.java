/**
 * What the demo report shows beside its JSON: the trade-off between accuracy and cost of the compositions
 * that the optimizer considered. A composition is one {@link org.legodnn.report.TradeoffPoint};
 * {@link org.legodnn.report.ParetoFront} keeps those that no other beats on both accuracy and a cost, and
 * {@link org.legodnn.report.TradeoffPlot} draws accuracy against latency and against memory as a PNG, with
 * JDK classes only (java.awt in headless mode and javax.imageio).
 */
package org.legodnn.report;
