// NtpqSession.Authentication: ntpq 4.2.8's authenticated commands (ntpq.c keyid, keytype, passwd,
// authenticate; ntpq-subs.c writevar, config, config_from_file). A write is signed with the key
// set by `keyid` and `passwd`; when either is missing ntpq asks for it ("Keyid: ", "MD5 Password: ")
// as ntpq does, reading the password without echo from a terminal. `:config LINE` and
// `config-from-file FILE` send configuration text (mode 6 CONFIGURE) and print the daemon's answer
// ("Config Succeeded" or its errors); `writevar` writes system or peer variables and prints
// "done! (no data returned)" when the server accepts and answers nothing; `saveconfig FILE` asks the
// server to write its configuration and prints its answer.
using System.Globalization;
using System.Text;
using Stratum.Client.Mode6;
using Stratum.Core.Auth;
using Stratum.Core.Mode6;

namespace Stratum.Tools.Ntpq;

internal sealed partial class NtpqSession
{
    private ushort _keyId;
    private KeyType _keyType = Stratum.Core.Auth.KeyType.Md5;
    private SymmetricKey? _key;
    private bool _alwaysAuthenticate;

    private void SetKeyId(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write(_keyId == 0 ? "no keyid defined\n" : string.Create(CultureInfo.InvariantCulture, $"keyid is {_keyId}\n"));
            return;
        }

        if (!ushort.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort keyId))
        {
            stderr.Write($"***Illegal integer value {arguments[0]}\n");
            return;
        }

        _keyId = keyId;
        _key = null;
    }

    private void SetKeyType(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write(string.Create(CultureInfo.InvariantCulture, $"keytype is {KeyTypeNames.Name(_keyType)} with {PacketMac.DigestLength(_keyType)} octet digests\n"));
            return;
        }

        if (!KeyTypeNames.TryParse(arguments[0], out Stratum.Core.Auth.KeyType type))
        {
            stdout.Write("keytype is not valid. Type \"help keytype\" for the available digest types.\n");
            return;
        }

        _keyType = type;
        _key = null;
    }

    private void Password(string[] arguments)
    {
        if (_keyId == 0 && !AskKeyId())
        {
            return;
        }

        string? password = arguments.Length > 0 ? arguments[0] : environment.ReadSecret($"{KeyTypeNames.Name(_keyType)} Password: ");
        if (string.IsNullOrEmpty(password))
        {
            stderr.Write("Invalid password\n");
            return;
        }

        _key = SymmetricKey.FromPassword(_keyId, _keyType, password);
    }

    private void Authenticate(string[] arguments)
    {
        if (arguments.Length > 0)
        {
            bool? yes = arguments[0] switch { "yes" => true, "no" => false, _ => null };
            if (yes is null)
            {
                stdout.Write("specify `yes' or `no'\n");
                return;
            }

            _alwaysAuthenticate = yes.Value;
        }
        else
        {
            stdout.Write(_alwaysAuthenticate ? "authenticated requests being sent\n" : "unauthenticated requests being sent\n");
        }
    }

    /// <summary>`:config TEXT`: the rest of the line, sent as it is.</summary>
    private void Configure(string text)
    {
        Mode6Result? result = QueryAuthenticated(ControlOpcode.Configure, 0, Encoding.ASCII.GetBytes(Fresh(text)));
        if (result is null || !Report(result, 0))
        {
            return;
        }

        stdout.Write(ResponseText(result) + "\n");
    }

    /// <summary>`config-from-file FILE`: each line of the file is sent as one `:config`.</summary>
    private void ConfigureFromFile(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stderr.Write("***Command `config-from-file' requires a file name\n");
            return;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(arguments[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.Write($"ntpq: can't open configuration file {arguments[0]}: {e.Message}\n");
            return;
        }

        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            Mode6Result? result = QueryAuthenticated(ControlOpcode.Configure, 0, Encoding.ASCII.GetBytes(Fresh(lines[i])));
            if (result is null || !Report(result, 0))
            {
                return;
            }

            string answer = ResponseText(result);
            stdout.Write(string.Create(CultureInfo.InvariantCulture, $"Line No: {i + 1} {answer}: {lines[i]}\n"));
        }
    }

    /// <summary>The text with the server's fresh nonce on a last comment line (ControlWriteNonce), so a
    /// copy of the request cannot be replayed later; as it is when the server issues no nonce.</summary>
    private string Fresh(string text)
    {
        Mode6Result result = _client.Query(ControlOpcode.RequestNonce, 0, [], authenticate: false);
        string answer = result.IsSuccess ? Encoding.ASCII.GetString(result.Data).TrimEnd('\r', '\n', '\0') : string.Empty;
        return answer.StartsWith("nonce=", StringComparison.Ordinal) && answer.Length > "nonce=".Length
            ? ControlWriteNonce.WithNonce(text, answer["nonce=".Length..])
            : text;
    }

    /// <summary>`writevar [assocID] name=value[,...]`.</summary>
    private void WriteVariables(string[] arguments)
    {
        if (!TryAssociationArgument(arguments, out ushort associationId, out int first))
        {
            return;
        }

        string assignments = string.Join(",", arguments[first..]);
        Mode6Result? result = QueryAuthenticated(ControlOpcode.WriteVariables, associationId, Encoding.ASCII.GetBytes(assignments));
        if (result is null || !Report(result, associationId))
        {
            return;
        }

        if (result.Data.Length == 0)
        {
            stdout.Write("done! (no data returned)\n");
            return;
        }

        PrintVariables(associationId, result, associationId == 0 ? VariableKind.System : VariableKind.Peer, quiet: false);
    }

    /// <summary>`saveconfig FILENAME`: SAVECONFIG, signed; the server's answer as one line.</summary>
    private void SaveConfiguration(string[] arguments)
    {
        if (!HasRequiredArguments("saveconfig", arguments, 1))
        {
            return;
        }

        Mode6Result? result = QueryAuthenticated(ControlOpcode.SaveConfig, 0, Encoding.ASCII.GetBytes(arguments[0]));
        if (result is null || !Report(result, 0))
        {
            return;
        }

        stdout.Write(result.Data.Length == 0 ? "(no response message, curiously)\n" : ResponseText(result) + "\n");
    }

    /// <summary>Sends a request that must be authenticated, asking for the key id and password when
    /// not yet set (ntpq.c sendrequest); null when they are not given.</summary>
    private Mode6Result? QueryAuthenticated(ControlOpcode opcode, ushort associationId, byte[] data)
    {
        if (_keyId == 0 && !AskKeyId(quietFailure: true))
        {
            stderr.Write("Invalid key identifier\n");
            return null;
        }

        if (_key is null)
        {
            string? password = environment.ReadSecret($"{KeyTypeNames.Name(_keyType)} Password: ");
            if (string.IsNullOrEmpty(password))
            {
                stderr.Write("Invalid password\n");
                return null;
            }

            _key = SymmetricKey.FromPassword(_keyId, _keyType, password);
        }

        _client.Key = _key;
        return _client.Query(opcode, associationId, data, authenticate: true);
    }

    /// <summary>Every other request: signed only after `authenticate yes`.</summary>
    private Mode6Result Query(ControlOpcode opcode, ushort associationId, ReadOnlySpan<byte> data)
    {
        _client.Key = _key;
        return _client.Query(opcode, associationId, data, authenticate: _alwaysAuthenticate && _key is not null);
    }

    private bool AskKeyId(bool quietFailure = false)
    {
        stdout.Write("Keyid: ");
        stdout.Flush();
        string? line = environment.Input.ReadLine();
        if (line is null || !ushort.TryParse(line.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ushort keyId) || keyId == 0)
        {
            if (!quietFailure)
            {
                stdout.Write("Keyid must be defined\n");
            }

            return false;
        }

        _keyId = keyId;
        return true;
    }

    /// <summary>The server's text up to a NUL, without the trailing line end, control characters escaped.</summary>
    private static string ResponseText(Mode6Result result)
    {
        ReadOnlySpan<byte> data = result.Data;
        int end = data.IndexOf((byte)0);
        return Stratum.Client.Display.TerminalText.FromWire((end >= 0 ? data[..end] : data).TrimEnd("\r\n "u8));
    }
}
