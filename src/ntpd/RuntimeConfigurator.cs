// RuntimeConfigurator: ntpq's `:config` and `config-from-file` inside the daemon (mode 6 CONFIGURE;
// ntpd 4.2.8 ntp_control.c configure() and config_remotely()). The control responder has already
// checked the controlkey, `restrict nomodify` and that the text is printable; here each line is
// parsed as an ntp.conf line (Core's parser, which never touches the file system) and applied at
// once. Only what can safely change while running is accepted: `server`, `pool` and `peer` lines
// (an address is mobilized at once, a name goes to the Engine's resolution), `unpeer ADDRESS|ASSOCID`, and
// `restrict` lines (added after the configured ones, a known address and mask gaining the flags).
// Everything else — files, keys, includefile, the discipline, reference clocks — is refused with a
// message: a remote user must never make the daemon write files (ntpd fixed the same hole in its
// bug 2902). The answer is "Config Succeeded" or one "column N message" line per error, which ntpq
// prints under the command; the request and any errors are logged as ntpd logs them. Associations
// change through the Engine (NtpEngine.MobilizeAssociation and friends), whose socket and lookup
// requests go into the request's actions, carried out when the answer is sent.
using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Stratum.Core.Config;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.Control;
using Stratum.Platform.Logging;

namespace Stratum.Tools.Ntpd;

/// <summary>Applies `:config` text on the loop thread.</summary>
internal sealed class RuntimeConfigurator(NtpEngine engine, ILogger logger) : IRuntimeConfigurator
{
    /// <summary>The answer to a request without errors (ntpq compares it).</summary>
    public const string Succeeded = "Config Succeeded";

    private const string FileName = "remote config";

    private static readonly FrozenSet<string> s_runtimeDirectives =
        new[] { "server", "pool", "peer", "restrict" }.ToFrozenSet(StringComparer.Ordinal);

    public string Configure(string text, in ClientAddress source, LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(text);
        string from = source.ToString();
        DaemonLog.Info(logger, $"{from} config: {text.TrimEnd('\n', '\r')}");
        var errors = new StringBuilder();
        int count = 0;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            foreach ((int column, string message) in ApplyLine(line, now, actions))
            {
                errors.Append(CultureInfo.InvariantCulture, $"column {column} {message}\n");
                count++;
            }
        }

        if (count == 0)
        {
            return Succeeded;
        }

        DaemonLog.Info(logger, $"{count} error in {from} config");
        return errors.ToString();
    }

    private List<(int Column, string Message)> ApplyLine(string line, LoopTime now, EngineActions actions)
    {
        var errors = new List<(int, string)>();
        string body = line.TrimStart();
        if (body.Length == 0 || body[0] == '#')
        {
            return errors;
        }

        int column = line.Length - body.Length + 1;
        string[] words = body.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words[0] == "unpeer")
        {
            if (words.Length != 2)
            {
                errors.Add((column, "'unpeer' needs one address or association id"));
            }
            else if (!Unpeer(words[1], actions))
            {
                errors.Add((column + body.IndexOf(words[1], 6, StringComparison.Ordinal), $"no association for '{words[1]}'"));
            }

            return errors;
        }

        ConfigParseResult parsed = ConfigParser.Parse(line + "\n", FileName);
        foreach (ConfigDiagnostic diagnostic in parsed.Diagnostics)
        {
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                errors.Add((diagnostic.Column, diagnostic.Message));
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        if (!s_runtimeDirectives.Contains(words[0]) || parsed.Config.RefClocks.Count > 0)
        {
            errors.Add((column, parsed.Config.RefClocks.Count > 0
                ? "reference clocks cannot be added at run time"
                : $"'{words[0]}' cannot be changed at run time"));
            return errors;
        }

        Apply(parsed.Config, column, errors, now, actions);
        return errors;
    }

    private void Apply(NtpConfig config, int column, List<(int, string)> errors, LoopTime now, EngineActions actions)
    {
        foreach (AssociationConfig association in config.Associations)
        {
            if (InactiveConfiguration.IsMobilized(association, out IPAddress? address))
            {
                if (FindSource(association.Address) is not null)
                {
                    errors.Add((column, $"'{association.Address}' is already an association"));
                    continue;
                }

                int id = engine.MobilizeAssociation(NtpdDaemon.AssociationSettings(association, address!), now, actions);
                DaemonLog.Info(logger, string.Create(CultureInfo.InvariantCulture, $"{association.Address}: association {id} mobilized by :config"));
            }
            else
            {
                engine.ResolveAssociation(NtpdDaemon.PendingLine(association), now, actions);
            }
        }

        if (config.Restrictions.Count > 0)
        {
            if (engine.Server.Access is not { } access)
            {
                errors.Add((column, "access control is off; 'restrict' cannot be changed at run time"));
                return;
            }

            access.AddRestrictions(config.Restrictions);
        }
    }

    /// <summary>`unpeer`: by association id, address or configured name.</summary>
    private bool Unpeer(string target, EngineActions actions)
    {
        RemoteSource? source = ushort.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out ushort id)
            ? engine.Sources.Sources.FirstOrDefault(s => s.Id == id)
            : FindSource(target);
        if (source is null)
        {
            return false;
        }

        DaemonLog.Info(logger, string.Create(CultureInfo.InvariantCulture, $"{source.Association.Settings.DisplayName}: association {source.Id} demobilized by :config"));
        return engine.DemobilizeAssociation(source.Id, actions);
    }

    private RemoteSource? FindSource(string addressOrName)
    {
        IPAddress? address = IPAddress.TryParse(addressOrName, out IPAddress? parsed) ? parsed : null;
        foreach (RemoteSource source in engine.Sources.Sources)
        {
            RemoteAssociationSettings settings = source.Association.Settings;
            if ((address is not null && settings.Address.Address.Equals(address)) || string.Equals(settings.DisplayName, addressOrName, StringComparison.OrdinalIgnoreCase))
            {
                return source;
            }
        }

        return null;
    }
}
