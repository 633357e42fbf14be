/**
 * What a person reads: text tables ({@link dev.amend.report.Table}), line plots and image grids
 * as PNG ({@link dev.amend.report.LinePlot}, {@link dev.amend.report.ImageGrid},
 * {@link dev.amend.report.Png}), and the self-contained HTML page of a run, repair or experiment
 * folder ({@link dev.amend.report.HtmlReport}, built with {@link dev.amend.report.HtmlPage};
 * docs/report.md).
 *
 * <p>The tables and plots need only the data and util packages; {@link dev.amend.report.HtmlReport}
 * reads folders through the run services and their formats ({@code dev.amend.run},
 * {@code dev.amend.run.format}), which never draw anything; the experiments draw their figures
 * with the plots.
 */
package dev.amend.report;
