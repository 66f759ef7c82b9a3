// NtpqSession.Lists: the commands around the session's variable list and association ranges, as
// ntpq 4.2.8 has them: addvars, rmvars, clearvars and showvars edit the list (SessionVariableList);
// readlist/rl and clocklist/cl read the listed variables (all of them when the list is empty) of
// the system or one association; writelist writes the list's name=value pairs (signed, as writevar);
// mreadvar/mrv and mreadlist/mrl read the variables of every association from one id to another in
// the list the last `associations` fetched (fetched now when there is none), printing each
// association's block (mreadlist with a blank line between blocks). Argument errors use ntpq's words:
// "usage: …" for a missing argument, "***Illegal unsigned value x", "***Invalid association ID 0
// specified", "***Association ID 9 not found in list".
using System.Globalization;
using Stratum.Client.Mode6;
using Stratum.Core.Mode6;

namespace Stratum.Tools.Ntpq;

internal sealed partial class NtpqSession
{
    private readonly SessionVariableList _variables = new();

    private void AddVariables(string[] arguments)
    {
        if (HasRequiredArguments("addvars", arguments, 1))
        {
            _variables.Add(arguments[0], stderr);
        }
    }

    private void RemoveVariables(string[] arguments)
    {
        if (HasRequiredArguments("rmvars", arguments, 1))
        {
            _variables.Remove(arguments[0], stderr);
        }
    }

    /// <summary>readlist/rl (READVAR) and clocklist/cl (READCLOCK): "[assocID]" with the session's list.</summary>
    private void ReadList(ControlOpcode opcode, string[] arguments)
    {
        if (!TryOptionalAssociation(arguments, out ushort associationId))
        {
            return;
        }

        VariableKind kind = opcode == ControlOpcode.ReadClock ? VariableKind.Clock : associationId == 0 ? VariableKind.System : VariableKind.Peer;
        ListVariables(opcode, associationId, _variables.RequestData(stderr), quiet: _variables.Count > 0, kind);
    }

    /// <summary>writelist [assocID]: WRITEVAR with the list's pairs, signed.</summary>
    private void WriteList(string[] arguments)
    {
        if (!TryOptionalAssociation(arguments, out ushort associationId))
        {
            return;
        }

        Mode6Result? result = QueryAuthenticated(ControlOpcode.WriteVariables, associationId, _variables.RequestData(stderr));
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

    /// <summary>mreadvar/mrv "assocIDlow assocIDhigh [name[,...]]" (the session's list without the
    /// third argument) and mreadlist/mrl "assocIDlow assocIDhigh" (always the session's list).</summary>
    private void MultipleRead(string keyword, string[] arguments, bool ownList)
    {
        if (!HasRequiredArguments(keyword, arguments, 2)
            || !TryUnsigned(arguments[0], out ulong low) || !TryUnsigned(arguments[1], out ulong high)
            || !TryAssociationRange(low, high, out int from, out int to))
        {
            return;
        }

        byte[] data;
        bool quiet;
        if (ownList && arguments.Length >= 3)
        {
            var items = new List<KeyValuePair<string, string>>();
            foreach ((string name, string value) in SessionVariableList.Split(arguments[2], stderr))
            {
                items.Add(new(name, value));
            }

            data = SessionVariableList.RequestData(items, stderr);
            quiet = items.Count > 0;
        }
        else
        {
            data = _variables.RequestData(stderr);
            quiet = _variables.Count > 0;
        }

        for (int index = from; index <= to; index++)
        {
            if (!ownList && index != from)
            {
                stdout.Write("\n");
            }

            if (!ListVariables(ControlOpcode.ReadVariables, _associations[index].Id, data, quiet, VariableKind.Peer))
            {
                return;
            }
        }
    }

    /// <summary>ntpq's dolist: one read with the given names and its output; false when the request failed.</summary>
    private bool ListVariables(ControlOpcode opcode, ushort associationId, byte[] data, bool quiet, VariableKind kind)
    {
        Mode6Result result = Query(opcode, associationId, data);
        if (!Report(result, associationId))
        {
            return false;
        }

        bool clock = kind == VariableKind.Clock;
        if (result.Data.Length == 0)
        {
            stdout.Write(associationId == 0
                ? $"No system{(clock ? " clock" : string.Empty)} variables returned\n"
                : string.Create(CultureInfo.InvariantCulture, $"No information returned for{(clock ? " clock" : string.Empty)} association {associationId}\n"));
            return true;
        }

        PrintVariables(associationId, result, kind, quiet);
        return true;
    }

    /// <summary>ntpq's findassidrange: both ids in the association list (fetched first when empty);
    /// from and to are their indexes, lower first.</summary>
    private bool TryAssociationRange(ulong low, ulong high, out int from, out int to)
    {
        from = to = 0;
        if (_associations.Count == 0)
        {
            Fetch();
        }

        if (!TryCheckAssociation(low, out ushort first) || !TryCheckAssociation(high, out ushort second))
        {
            return false;
        }

        int firstIndex = _associations.FindIndex(association => association.Id == first);
        int secondIndex = _associations.FindIndex(association => association.Id == second);
        foreach ((int index, ushort id) in new[] { (firstIndex, first), (secondIndex, second) })
        {
            if (index < 0)
            {
                stderr.Write(string.Create(CultureInfo.InvariantCulture, $"***Association ID {id} not found in list\n"));
                return false;
            }
        }

        from = Math.Min(firstIndex, secondIndex);
        to = Math.Max(firstIndex, secondIndex);
        return true;
    }

    /// <summary>An optional "assocID": 0 or absent is the system; otherwise it must be a valid id.</summary>
    private bool TryOptionalAssociation(string[] arguments, out ushort associationId)
    {
        associationId = 0;
        if (arguments.Length == 0)
        {
            return true;
        }

        if (!TryUnsigned(arguments[0], out ulong value))
        {
            return false;
        }

        return value == 0 || TryCheckAssociation(value, out associationId);
    }

    /// <summary>ntpq's checkassocid: 1 to 65535, else "***Invalid association ID N specified".</summary>
    private bool TryCheckAssociation(ulong value, out ushort associationId)
    {
        associationId = value is > 0 and <= ushort.MaxValue ? (ushort)value : (ushort)0;
        if (associationId == 0)
        {
            stderr.Write(string.Create(CultureInfo.InvariantCulture, $"***Invalid association ID {value} specified\n"));
            return false;
        }

        return true;
    }

    /// <summary>An unsigned decimal argument (ntpq's NTP_UINT), else "***Illegal unsigned value x".</summary>
    private bool TryUnsigned(string text, out ulong value)
    {
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= uint.MaxValue)
        {
            return true;
        }

        stderr.Write($"***Illegal unsigned value {text}\n");
        return false;
    }

    /// <summary>ntpq prints the command's usage on stderr when a required argument is missing.</summary>
    private bool HasRequiredArguments(string keyword, string[] arguments, int count)
    {
        if (arguments.Length >= count)
        {
            return true;
        }

        stderr.Write(NtpqCommands.Usage(keyword));
        return false;
    }
}
