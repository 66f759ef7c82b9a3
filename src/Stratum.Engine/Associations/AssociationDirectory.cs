// AssociationDirectory: the remote end (address and port) of every remote association, kept for the
// datagram path: which configured peer a symmetric packet on a server socket belongs to (any source
// port, as ntpd matches peers by address), and whether a datagram on an association's own socket
// really comes from that association's server. It is rebuilt only when associations come or go, so a
// flood of mode 1 packets costs no allocation.
using Stratum.Engine.Access;

namespace Stratum.Engine.Associations;

/// <summary>Remote ends of the associations, for routing datagrams.</summary>
internal sealed class AssociationDirectory
{
    private readonly List<(int Id, ClientAddress Remote, bool Peer, bool BroadcastClient)> _entries = [];
    private int _builtVersion = -1;
    private int _builtCount = -1;
    private int _version;

    /// <summary>Associations were mobilized or demobilized: rebuild before the next lookup.</summary>
    public void Invalidate() => _version++;

    /// <summary>The id of the `peer` association whose remote end is <paramref name="source"/> (address and
    /// port: a peer sends from its NTP port, 123 unless configured otherwise), or null.</summary>
    public int? PeerOf(in ClientAddress source, SourceManager sources)
    {
        Refresh(sources);
        foreach ((int id, ClientAddress remote, bool peer, _) in _entries)
        {
            if (peer && remote == source)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>True when association <paramref name="id"/> exists and its remote end is <paramref name="source"/>
    /// (address and port).</summary>
    public bool IsRemoteOf(int id, in ClientAddress source, SourceManager sources)
    {
        Refresh(sources);
        foreach ((int entryId, ClientAddress remote, _, _) in _entries)
        {
            if (entryId == id)
            {
                return remote == source;
            }
        }

        return false;
    }

    /// <summary>The id of the broadcast client association of the server at <paramref name="source"/> (its address:
    /// a broadcast may come from any port), or null.</summary>
    public int? BroadcastClientOf(in ClientAddress source, SourceManager sources)
    {
        Refresh(sources);
        foreach ((int id, ClientAddress remote, _, bool broadcastClient) in _entries)
        {
            if (broadcastClient && remote.SameHost(source))
            {
                return id;
            }
        }

        return null;
    }

    private void Refresh(SourceManager sources)
    {
        if (_builtVersion == _version && _builtCount == sources.Sources.Count)
        {
            return;
        }

        _builtVersion = _version;
        _builtCount = sources.Sources.Count;
        _entries.Clear();
        foreach (RemoteSource source in sources.Sources)
        {
            RemoteAssociationSettings settings = source.Association.Settings;
            _entries.Add((source.Id, ClientAddress.From(settings.Address.Address, settings.Address.Port), settings.Mode == AssociationMode.SymmetricActive,
                settings.Mode == AssociationMode.BroadcastClient));
        }
    }
}
