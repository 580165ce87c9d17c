package dev.portcullis.state.keyring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.state.model.SealedSecret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Master keys (id + 256-bit key), one current. Loaded from a JSON file or an environment variable
 * ({@code {"current":"k1","keys":{"k1":"<base64 of 32 bytes>"}}}), or generated on first start into
 * the data directory with mode 0600. Immutable and thread-safe; {@link #rotate(Path)} returns a new
 * keyring.
 */
public final class Keyring {
    /** The environment variable a keyring may come from. */
    public static final String ENV = "PORTCULLIS_KEYRING";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, SecretKeySpec> keys;
    private final String currentId;

    private Keyring(Map<String, SecretKeySpec> keys, String currentId) {
        this.keys = Map.copyOf(keys);
        this.currentId = currentId;
        if (!this.keys.containsKey(currentId)) {
            throw new KeyringException("keyring has no key with the current id " + currentId);
        }
    }

    /** A keyring with one fresh key (tests, first start). */
    public static Keyring generate() {
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        String id = "k" + System.currentTimeMillis();
        keys.put(id, freshKey());
        return new Keyring(keys, id);
    }

    /**
     * The keyring from {@code $PORTCULLIS_KEYRING} when set, else from {@code file}, generating the
     * file (mode 0600) when it does not exist.
     */
    public static Keyring loadOrCreate(Path file) {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return parse(env, "environment variable " + ENV);
        }
        if (Files.exists(file)) {
            return load(file);
        }
        Keyring generated = generate();
        generated.writeNew(file);
        return generated;
    }

    public static Keyring load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new KeyringException("cannot read keyring " + file + ": " + e.getMessage(), e);
        }
    }

    /** A new keyring whose current key is freshly generated, saved over {@code file} (mode 0600). */
    public Keyring rotate(Path file) {
        Map<String, SecretKeySpec> next = new LinkedHashMap<>(keys);
        String id = "k" + System.currentTimeMillis();
        while (next.containsKey(id)) {
            id = id + "x";
        }
        next.put(id, freshKey());
        Keyring rotated = new Keyring(next, id);
        if (file != null) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try {
                Files.deleteIfExists(tmp);
                rotated.writeNew(tmp);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new KeyringException("cannot save keyring " + file + ": " + e.getMessage(), e);
            }
        }
        return rotated;
    }

    /**
     * Keys for sealing stateless session tokens, derived from each master key with HMAC-SHA256 over a
     * purpose label so that token keys and secret-sealing keys never coincide. The current master key's
     * derivation is the current sealing key; older ones still open tokens issued before a rotation.
     */
    public dev.portcullis.core.token.SealingKeys sealingKeys(String purpose) {
        java.util.List<dev.portcullis.core.token.SealingKey> derived = new java.util.ArrayList<>();
        derived.add(derive(currentId, purpose));
        for (String id : keys.keySet()) {
            if (!id.equals(currentId)) {
                derived.add(derive(id, purpose));
            }
        }
        return dev.portcullis.core.token.SealingKeys.of(derived);
    }

    private dev.portcullis.core.token.SealingKey derive(String id, String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.get(id).getEncoded(), "HmacSHA256"));
            byte[] key = mac.doFinal(("portcullis/" + purpose).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String shortId = id.length() > dev.portcullis.core.token.SealingKey.MAX_ID_LENGTH
                    ? id.substring(id.length() - dev.portcullis.core.token.SealingKey.MAX_ID_LENGTH) : id;
            return new dev.portcullis.core.token.SealingKey(shortId, key);
        } catch (java.security.GeneralSecurityException e) {
            throw new KeyringException("cannot derive a sealing key: " + e.getMessage(), e);
        }
    }

    public String currentKeyId() {
        return currentId;
    }

    /** Seals {@code secret} under the current key; {@code context} (the access key id) is bound to it. */
    public SealedSecret seal(char[] secret, String context) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        ByteBuffer clear = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
        byte[] plain = new byte[clear.remaining()];
        clear.get(plain);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return new SealedSecret(currentId, Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new KeyringException("cannot seal secret: " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Opens a sealed secret, or fails (unknown key id, wrong context, tampered ciphertext). */
    public Secret open(SealedSecret sealed, String context) {
        SecretKeySpec key = keys.get(sealed.keyId());
        if (key == null) {
            throw new KeyringException("no master key with id " + sealed.keyId() + " in the keyring");
        }
        byte[] all = Base64.getDecoder().decode(sealed.ciphertext());
        byte[] plain = null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            plain = c.doFinal(all, NONCE, all.length - NONCE);
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(plain));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Secret secret = new Secret(out);
            Arrays.fill(out, '\0');
            return secret;
        } catch (GeneralSecurityException e) {
            throw new KeyringException("cannot open secret sealed under key " + sealed.keyId()
                    + ": authentication failed");
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** True when {@code sealed} is under an older key and should be re-sealed. */
    public boolean isStale(SealedSecret sealed) {
        return !sealed.keyId().equals(currentId);
    }

    @Override
    public String toString() {
        return "Keyring[current=" + currentId + ", keys=" + keys.keySet() + "]";
    }

    private static SecretKeySpec freshKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return new SecretKeySpec(k, "AES");
    }

    private static Keyring parse(String json, String source) {
        try {
            JsonNode root = JSON.readTree(json);
            Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
            var fields = root.path("keys").fields();
            while (fields.hasNext()) {
                var e = fields.next();
                byte[] k = Base64.getDecoder().decode(e.getValue().asText());
                if (k.length != 32) {
                    throw new KeyringException("keyring " + source + ": key " + e.getKey() + " is not 256 bits");
                }
                keys.put(e.getKey(), new SecretKeySpec(k, "AES"));
            }
            String current = root.path("current").asText(null);
            if (current == null || keys.isEmpty()) {
                throw new KeyringException("keyring " + source + " needs \"current\" and \"keys\"");
            }
            return new Keyring(keys, current);
        } catch (IOException | IllegalArgumentException e) {
            throw new KeyringException("keyring " + source + " is not valid keyring JSON");
        }
    }

    private void writeNew(Path file) {
        ObjectNode root = JSON.createObjectNode().put("current", currentId);
        ObjectNode ks = root.putObject("keys");
        keys.forEach((id, k) -> ks.put(id, Base64.getEncoder().encodeToString(k.getEncoded())));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (FileAlreadyExistsException e) {
            throw new KeyringException("keyring " + file + " already exists");
        } catch (IOException e) {
            throw new KeyringException("cannot write keyring " + file + ": " + e.getMessage(), e);
        }
    }

}
