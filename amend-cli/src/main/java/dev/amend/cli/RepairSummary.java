package dev.amend.cli;

import dev.amend.report.HtmlReport;
import dev.amend.report.Table;
import dev.amend.run.ValidationSource;
import dev.amend.run.format.RepairMetrics;
import dev.amend.treat.Retain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The before/after table that {@code amend treat}, {@code amend repair} and {@code amend demo}
 * end with: accuracy of theta* and theta_rep on F_q, F_h, T\F and T, then what was removed
 * and how far the parameters moved. A repair is good when F_h rises (the failures it was not
 * shown) while T\F stays near 1 (docs/methods.md 1).
 */
final class RepairSummary {
    private RepairSummary() {
    }

    static void print(PrintWriter out, RepairMetrics m, Path folder) {
        RepairMetrics.Sizes n = m.sizes();
        out.print(HtmlReport.beforeAfter(m));
        ValidationSource v = m.acceptance() == null ? null : m.acceptance().validationSource();
        boolean heldOut = v != null && v.heldOutOfTest();
        if (heldOut) {
            out.printf(Locale.ROOT, "held out    %d of %d test examples as V for the acceptance check "
                    + "(fraction %s, seed %d); T and T\\F above are measured without them%n", v.size(), v.drawnFrom(),
                    v.fraction(), v.seed());
        } else if (v != null && v.kind() == ValidationSource.Kind.CHECK_DATA) {
            out.printf(Locale.ROOT, "check data  %d %s given as V for the acceptance check%n", v.size(),
                    examples(v.size()));
        }
        RepairMetrics.Causes c = m.causes();
        String selection = c.selection() == null ? "" : " (" + c.selection() + ")";
        String truth = c.corrupted() == null ? ", ground truth unknown"
                : String.format(Locale.ROOT, ", %d of them truly corrupted (%.0f%%)", c.corrupted(),
                        100.0 * c.corrupted() / c.count());
        String found = m.identification() == null ? "" : " ranked by " + m.identification().method();
        out.printf(Locale.ROOT, "causes      %d of %d training examples removed%s%s%s%n", c.count(), n.train(), found,
                selection, truth);
        out.printf(Locale.ROOT, "treatment   %s, %.1f s, ||theta_rep - theta*|| = %.4g%n", m.method(), m.seconds(),
                m.parameterDistance());
        if (m.details().get("retain") instanceof Retain.Summary r) {
            out.printf(Locale.ROOT, "retain      of the %d flagged: %d restored, %d relabelled, %d deleted%s%n", c.count(),
                    r.restored(), r.relabelled(), r.deleted(), r.restorePrecision() == null && r.relabelAccuracy() == null
                            ? "" : String.format(Locale.ROOT, "; restore precision %s, relabel accuracy %s, benign recall %s",
                                    share(r.restorePrecision()), share(r.relabelAccuracy()), share(r.benignRecall())));
        }
        if (m.auto() != null) {
            printAuto(out, m.auto());
        }
        RepairMetrics.Acceptance acc = m.acceptance();
        if (acc != null) {
            checkRow(out, "validation", acc.validation());
            checkRow(out, "unflagged validation", acc.unflaggedValidation());
            checkRow(out, "F_q_val", acc.queryValidation());
            out.printf(Locale.ROOT, "verdict     %s: %s%n", acc.accepted() ? "ACCEPTED, use the repaired model"
                    : "NOT ACCEPTED, keep the original model", acc.reason());
        }
        out.printf("wrote       %s%n", folder);
        out.flush();
    }

    private static String share(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static void printAuto(PrintWriter out, RepairMetrics.AutoK auto) {
        out.println("top-k auto  candidates (chosen by loss on validation + F_q_val among the accepted; test-set columns "
                + "are held-out measurements, not used for the choice):");
        Table t = new Table("k", "accepted", "check loss", "corrupted", "F_h after", "T after");
        for (RepairMetrics.Candidate c : auto.candidates()) {
            t.addRow(c.k() + (auto.chosen() != null && auto.chosen() == c.k() ? " *" : ""), c.accepted() ? "yes" : "no",
                    String.format(Locale.ROOT, "%.4f", c.checkLoss()), c.corrupted() == null ? "-" : c.corrupted(),
                    c.after().fh(), c.after().test());
        }
        out.print(t);
    }

    private static void checkRow(PrintWriter out, String name, RepairMetrics.Check c) {
        if (c != null) {
            out.printf(Locale.ROOT, "check       %-21s %5d %s: accuracy %.4f -> %.4f, loss %.4f -> %.4f%n", name,
                    c.size(), examples(c.size()), c.accuracyBefore(), c.accuracyAfter(), c.lossBefore(),
                    c.lossAfter());
        }
    }

    /** "example" for one, else "examples". */
    private static String examples(int n) {
        return n == 1 ? "example" : "examples";
    }
}
