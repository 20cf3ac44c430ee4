package org.legodnn.core.offline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link Profiles} to and from the block store's {@code profiles.json}, losslessly (doubles as Java prints them). */
final class ProfilesJson {

    private ProfilesJson() {
    }

    static String write(Profiles p) {
        StringBuilder b = new StringBuilder("{\n  \"sparsities\": [");
        for (int j = 0; j < p.sparsities().length; j++) {
            b.append(j == 0 ? "" : ", ").append(p.sparsities()[j]);
        }
        b.append("],\n  \"teacher\": {\"accuracy\": ").append(BlockStore.num(p.teacherAccuracy()))
                .append(", \"params\": ").append(p.teacherParams()).append(", \"flops\": ").append(p.teacherFlops())
                .append(", \"size_bytes\": ").append(p.teacherBytes()).append(", \"test_images\": ")
                .append(p.testImages()).append("},\n  \"rows\": [");
        for (int k = 0; k < p.rows().size(); k++) {
            BlockProfile r = p.rows().get(k);
            b.append(k == 0 ? "\n    " : ",\n    ").append("{\"block\": ").append(r.blockIndex())
                    .append(", \"sparsity\": ").append(r.sparsity()).append(", \"accuracy_drop\": ")
                    .append(BlockStore.num(r.accuracyDrop())).append(", \"params\": ").append(r.params())
                    .append(", \"flops\": ").append(r.flops()).append(", \"size_bytes\": ").append(r.sizeBytes())
                    .append(", \"peak_activation_bytes\": ").append(r.peakActivationBytes()).append('}');
        }
        b.append("],\n  \"tested\": [");
        int k = 0;
        for (Map.Entry<List<Integer>, Double> e : p.tested().entrySet()) {
            b.append(k++ == 0 ? "\n    " : ",\n    ").append("{\"selection\": ").append(e.getKey())
                    .append(", \"accuracy\": ").append(BlockStore.num(e.getValue())).append('}');
        }
        return b.append("]\n}\n").toString();
    }

    @SuppressWarnings("unchecked")
    static Profiles read(String text) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(text);
        List<Object> sp = (List<Object>) m.get("sparsities");
        double[] sparsities = new double[sp.size()];
        for (int j = 0; j < sparsities.length; j++) {
            sparsities[j] = Json.number(sp.get(j));
        }
        Map<String, Object> t = (Map<String, Object>) m.get("teacher");
        List<BlockProfile> rows = new ArrayList<>();
        for (Object o : (List<Object>) m.get("rows")) {
            Map<String, Object> r = (Map<String, Object>) o;
            rows.add(new BlockProfile(integer(r, "block"), Json.number(r.get("sparsity")), dbl(r, "accuracy_drop"),
                    lng(r, "params"), lng(r, "flops"), lng(r, "size_bytes"), lng(r, "peak_activation_bytes")));
        }
        Map<List<Integer>, Double> tested = new LinkedHashMap<>();
        for (Object o : (List<Object>) m.get("tested")) {
            Map<String, Object> r = (Map<String, Object>) o;
            List<Integer> sel = new ArrayList<>();
            for (Object v : (List<Object>) r.get("selection")) {
                sel.add((int) Json.number(v));
            }
            tested.put(List.copyOf(sel), dbl(r, "accuracy"));
        }
        return new Profiles(sparsities, List.copyOf(rows), dbl(t, "accuracy"), lng(t, "params"), lng(t, "flops"),
                lng(t, "size_bytes"), integer(t, "test_images"), tested);
    }

    private static double dbl(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? Double.NaN : Json.number(v);
    }

    private static long lng(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).longValue();
    }

    private static int integer(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).intValue();
    }
}
