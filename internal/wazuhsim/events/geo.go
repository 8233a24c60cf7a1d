package events

import (
	"hash/fnv"
	"net/netip"
)

// geo is what Filebeat's GeoIP processor adds for a public data.srcip.
type geo struct {
	country, region, city string
	lat, lon              float64
}

func (g geo) source() map[string]any {
	return map[string]any{
		"country_name": g.country,
		"region_name":  g.region,
		"city_name":    g.city,
		"location":     map[string]any{"lat": g.lat, "lon": g.lon},
	}
}

// geoCities is the stand-in's GeoIP database: public addresses map onto
// these by hash, except the incident addresses which are pinned below.
var geoCities = []geo{
	{"Netherlands", "North Holland", "Amsterdam", 52.3759, 4.8975},
	{"Russia", "Moscow", "Moscow", 55.7527, 37.6172},
	{"China", "Shanghai", "Shanghai", 31.222, 121.458},
	{"United States", "Virginia", "Ashburn", 39.0469, -77.4903},
	{"Germany", "Hesse", "Frankfurt am Main", 50.1155, 8.6842},
	{"Brazil", "Sao Paulo", "Sao Paulo", -23.5475, -46.6361},
	{"Vietnam", "Hanoi", "Hanoi", 21.0245, 105.8412},
	{"India", "Maharashtra", "Mumbai", 19.0728, 72.8826},
	{"Romania", "Bucuresti", "Bucharest", 44.4323, 26.1063},
	{"Singapore", "Central Singapore", "Singapore", 1.2897, 103.8501},
}

// pinnedGeo keeps the incident addresses in stable, recognisable places.
var pinnedGeo = map[string]int{
	AttackerSSHIP: 1, // Moscow
	AttackerWebIP: 0, // Amsterdam
}

// geoOf returns the GeoLocation of a public IPv4/IPv6 address.
func geoOf(ip string) (geo, bool) {
	if ip == "" {
		return geo{}, false
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil || addr.IsPrivate() || addr.IsLoopback() || addr.IsLinkLocalUnicast() || addr.IsUnspecified() {
		return geo{}, false
	}
	if i, ok := pinnedGeo[ip]; ok {
		return geoCities[i], true
	}
	h := fnv.New32a()
	h.Write([]byte(ip))
	return geoCities[int(h.Sum32()%uint32(len(geoCities)))], true
}
