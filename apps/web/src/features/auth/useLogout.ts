import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { notify } from '../../components/notify';
import { logout } from './api';

export function useLogout() {
  const navigate = useNavigate();
  return useMutation({
    mutationFn: logout,
    onError: () => {
      void notify({
        color: 'orange',
        title: 'Signed out in this browser only',
        message:
          'Keydash server could not be reached, so the session may stay valid until it expires.',
      });
    },
    // Even if the server could not be told, this browser leaves; the login page then empties
    // the query cache, so Back after logout cannot bring the keys back.
    onSettled: () => {
      void navigate('/login', { replace: true });
    },
  });
}
