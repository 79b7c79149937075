using System.Globalization;
using System.Text;
using System.Xml;
using LicenseRisk.Model;
using LicenseRisk.Scoring;

namespace LicenseRisk.Presentation.Score;

/// <summary>
/// JUnit XML (the Apache Ant schema that CI servers read): one testsuite, one testcase per vendor
/// (classname = vendor id, name = vendor name), failed when the vendor trips the gate. Without a
/// gate nothing fails. No clock or host name is written: the timestamp is the as-of day at midnight
/// and the time is 0, so equal inputs give byte-identical XML.
/// </summary>
public static class JUnitScoreWriter
{
    public static void Write(Stream stream, ScoreReport report, Gate gate)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        var failures = report.Vendors.Count(gate.Trips);
        using (var w = XmlWriter.Create(stream, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("testsuite");
            w.WriteAttributeString("name", Xml($"licenserisk score ({report.Pack.Name} {report.Pack.Version})"));
            w.WriteAttributeString("timestamp", IsoDate.Format(report.AsOf) + "T00:00:00");
            w.WriteAttributeString("hostname", "licenserisk");
            w.WriteAttributeString("tests", report.Vendors.Count.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("errors", "0");
            w.WriteAttributeString("skipped", "0");
            w.WriteAttributeString("time", "0");

            w.WriteStartElement("properties");
            Property(w, "pack", report.Pack.Name);
            Property(w, "pack.version", report.Pack.Version);
            Property(w, "pack.sha256", report.PackSha256);
            Property(w, "as_of", IsoDate.Format(report.AsOf));
            Property(w, "horizon_months", report.HorizonMonths.ToString(CultureInfo.InvariantCulture));
            if (gate.FailAbove is { } p)
            {
                Property(w, "fail_above", p.ToString(CultureInfo.InvariantCulture));
            }

            if (gate.FailOn is { } band)
            {
                Property(w, "fail_on", band);
            }

            w.WriteEndElement();

            foreach (var v in report.Vendors)
            {
                w.WriteStartElement("testcase");
                w.WriteAttributeString("classname", Xml(v.Id));
                w.WriteAttributeString("name", Xml(v.Name));
                w.WriteAttributeString("time", "0");
                if (gate.Trips(v))
                {
                    w.WriteStartElement("failure");
                    w.WriteAttributeString("message", Xml(GateMessages.Summary(gate, v)));
                    w.WriteAttributeString("type", "licenserisk.gate");
                    w.WriteString(Xml(Body(v)));
                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            w.WriteStartElement("system-out");
            var summary = new StringBuilder();
            foreach (var v in report.Vendors)
            {
                summary.Append(CultureInfo.InvariantCulture, $"{v.Dossier.File}: {v.Id} probability {Numbers.Probability(v.Probability)} (90% interval {Numbers.Probability(v.Low)} to {Numbers.Probability(v.High)}), band {v.Band}\n");
            }

            w.WriteString(Xml(summary.ToString()));
            w.WriteEndElement();
            w.WriteStartElement("system-err");
            w.WriteString(Xml(string.Concat(report.Warnings.Select(d => d + "\n"))));
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        stream.Write("\n"u8);
    }

    /// <summary>Every counted contribution (and the outweighed ones), one per line, with its signals.</summary>
    public static string Body(VendorScore v)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{v.Name} ({v.Id}) in {v.Dossier.File}: probability {Numbers.Probability(v.Probability)}, 90% interval {Numbers.Probability(v.Low)} to {Numbers.Probability(v.High)}, band {v.Band}\n");
        if (v.Coverage.ThinEvidence)
        {
            sb.Append(CultureInfo.InvariantCulture, $"thin evidence: {v.Coverage.ThinReason}; the score leans on the prior\n");
        }

        if (v.Contributions.Count == 0)
        {
            sb.Append("no rule fired: the prior alone\n");
        }

        foreach (var c in v.Contributions)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{Numbers.Signed(c.Value)} {c.Rule}: {c.Because} [{string.Join(", ", c.Signals)}]\n");
        }

        foreach (var o in v.Outweighed)
        {
            sb.Append(CultureInfo.InvariantCulture, $"outweighed {Numbers.Signed(o.Contribution.Value)} {o.Contribution.Rule} (lost to {o.By}): {o.Contribution.Because}\n");
        }

        return sb.ToString();
    }

    private static void Property(XmlWriter w, string name, string value)
    {
        w.WriteStartElement("property");
        w.WriteAttributeString("name", name);
        w.WriteAttributeString("value", Xml(value));
        w.WriteEndElement();
    }

    /// <summary>Replaces characters XML 1.0 cannot carry (control characters, lone surrogates) with U+FFFD; the writer escapes the rest.</summary>
    public static string Xml(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[++i]);
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('\uFFFD');
            }
        }

        return sb.ToString();
    }
}
